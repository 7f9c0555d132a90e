"""Print the export's JSON Schema, from the models:
``python -m bot.services.export_schema > bot/schemas/export.schema.json``."""

from __future__ import annotations

import json

from bot.services.export import json_schema


def main() -> None:
    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
