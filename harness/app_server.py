"""Launch the real app in this process on a free port, for tests and benchmarks that drive it through gradio_client."""
import contextlib
import socket
from collections.abc import Iterator

import gradio as gr


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(pair: str = "toy", queue_size: int | None = None) -> Iterator[gr.Blocks]:
    """The app built exactly as `python app.py --pair PAIR` builds it (optionally with a smaller queue), served until
    the block ends."""
    from ui.demo import build_demo, launch_options

    demo = build_demo(pair) if queue_size is None else build_demo(pair, queue_size=queue_size)
    demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=free_port(), quiet=True,
                **launch_options())
    try:
        yield demo
    finally:
        demo.close()

