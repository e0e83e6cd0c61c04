"""``python -m bench.serve_hub VARIANT --data-dir D --port P``: a variant of the hub, started as
``tongban serve`` starts the hub (same store, key, uvloop, httptools, no access log), so the two
differ only in the part the variant switches off."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import uvloop

from bench.hub_variants import VARIANTS
from hub.app import Hub, start_hub
from hub.config import Settings
from hub.keys import load_or_create_signing_key
from hub.serve import serve_started
from hub.store import open_store


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.serve_hub", description=__doc__)
    parser.add_argument("variant", choices=list(VARIANTS))
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvloop.run(_serve(VARIANTS[args.variant], args.data_dir, args.port))


async def _serve(variant: Callable[[Hub], Hub], data_dir: Path, port: int) -> None:
    settings = Settings.from_env({}, data_dir=data_dir, port=port)
    store = await open_store(settings.database_url)
    try:
        key = load_or_create_signing_key(settings.signing_key_file)
        await serve_started(variant(await start_hub(store, key, settings.log_origin)), settings)
    finally:
        await store.close()


if __name__ == "__main__":
    main()
