"""CNN vs ViT: one image, two networks, side by side.

`python app.py [--pair NAME] [--precision {auto,fp32,bf16}] [--share] [--no-mcp] [--host H] [--port P]`.
"""
import argparse
import os

import spaces  # noqa: F401  before torch is asked for a device: on ZeroGPU it makes CUDA appear at start-up (ui.gpu)

from models import PAIRS
from runtime.memory import release_free_memory, tune_malloc
from runtime.precision import PRECISION_ENV, SETTINGS, default_setting, describe, set_precision
from ui.demo import build_demo, launch_options
from ui.pair_choice import default_pair


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pair", choices=list(PAIRS), default=default_pair(),
                        help="pair selected at start (default: $CNN_VIT_PAIR, else the Space's pair or toy)")
    parser.add_argument("--precision", choices=SETTINGS, default=default_setting(),
                        help=f"fp32, bf16 (bfloat16 autocast; fp16 on a GPU without it) or auto: bf16 on a GPU or a "
                             f"CPU with native bfloat16, else fp32 (default: ${PRECISION_ENV}, else auto)")
    parser.add_argument("--share", action="store_true", help="also serve through a public gradio.live link")
    parser.add_argument("--no-mcp", action="store_true",
                        help="don't serve the JSON endpoints as MCP tools (served by default at /gradio_api/mcp/)")
    parser.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT", 7860)))
    args = parser.parse_args()
    tune_malloc()  # before the server's threads exist
    set_precision(args.precision)
    print(f"models compute at {describe()}", flush=True)
    demo = build_demo(args.pair)
    release_free_memory()  # what loading the weights left free
    demo.launch(share=args.share, server_name=args.host, server_port=args.port,
                **launch_options(mcp_server=not args.no_mcp))


if __name__ == "__main__":
    main()
