"""axe-core on every page for every role, in both languages: no serious or critical issue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser

from tests.browser.pages import LOCALES, live_meeting, more_screens, open_as, screens, show
from tests.support import Seeded, Server

pytestmark = pytest.mark.asyncio

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


async def test_no_serious_or_critical_violations(
    browser: Browser, server: Server, seeded: Seeded, artifacts: Path
) -> None:
    live_meeting(server, seeded)
    script = AXE.read_text(encoding="utf-8")
    report: list[dict[str, Any]] = []
    failures = []
    for lang in LOCALES:
        for screen in screens() + more_screens():
            context, page = await open_as(
                browser, server, seeded, screen.role, lang, bypass_csp=True
            )
            await show(page, server, screen)
            await page.add_script_tag(content=script)
            result = await page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
            )
            bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
            report.append(
                {
                    "page": screen.name,
                    "role": screen.role,
                    "lang": lang,
                    "url": page.url,
                    "rules_passed": len(result["passes"]),
                    "rules_incomplete": len(result["incomplete"]),
                    "violations": [
                        {
                            "id": v["id"],
                            "impact": v["impact"],
                            "nodes": len(v["nodes"]),
                            "targets": [n["target"] for n in v["nodes"]][:5],
                        }
                        for v in result["violations"]
                    ],
                }
            )
            failures += [(screen.name, lang, v["id"], v["nodes"][0]["target"]) for v in bad]
            await context.close()
    (artifacts / "axe-report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    checked = ", ".join(f"{r['page']}/{r['lang']}" for r in report)
    print(f"axe-core checked {len(report)} pages ({checked}) against {', '.join(TAGS)}")
    assert len(report) == len(screens() + more_screens()) * len(LOCALES)
    assert failures == []
