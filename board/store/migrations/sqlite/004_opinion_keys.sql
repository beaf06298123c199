-- A device sends a random key with each new opinion, so a submission repeated after a
-- lost connection is recognised and saved once.
ALTER TABLE opinions ADD COLUMN client_key TEXT;
CREATE UNIQUE INDEX opinions_client_key ON opinions(person_id, client_key)
    WHERE client_key IS NOT NULL;
