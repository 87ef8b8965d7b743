"""Run the platform: ``python -m devplatform --host 127.0.0.1 --port 5001``."""

from __future__ import annotations

import argparse
import logging
import os

from . import create_app

logger = logging.getLogger(__name__)

LOCAL_HOSTS = ("127.0.0.1", "localhost", "0.0.0.0", "::", "::1")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m devplatform",
        description="Local Blackboard Learn stand-in for LTI 1.3 launches.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind")
    parser.add_argument("--port", type=int, default=5001, help="port to listen on")
    parser.add_argument(
        "--url",
        help="public base URL; defaults to DEVPLATFORM_URL, else localhost:<port>",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Start the werkzeug development server."""
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    config = {}
    if args.url:
        config["DEVPLATFORM_URL"] = args.url
    elif not os.environ.get("DEVPLATFORM_URL"):
        host = "localhost" if args.host in LOCAL_HOSTS else args.host
        config["DEVPLATFORM_URL"] = f"http://{host}:{args.port}"

    app = create_app(config)
    app.run(host=args.host, port=args.port, threaded=True)


if __name__ == "__main__":
    main()
