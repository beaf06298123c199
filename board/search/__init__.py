"""Search text handling without SQL: normalisation, n-grams, the query language, snippets."""
