"""Launch the real app in this process on a free port, for tests and benchmarks that drive it through gradio_client;
hold its endpoints' calls on a gate, so a test sees its queue full without depending on how fast a request runs."""
import contextlib
import functools
import socket
import threading
from collections.abc import Callable, Iterator

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


class Gate:
    """Holds each call of the handlers it wraps at its start until `open()`; counts the calls that have started and
    the most that were inside a handler at once."""

    def __init__(self) -> None:
        self.started = 0
        self.inside = 0
        self.most_inside = 0
        self._opened = threading.Event()
        self._changed = threading.Condition()

    def wrap(self, handler: Callable) -> Callable:
        """`handler`, entered as soon as Gradio calls it, run once the gate is open (its signature kept for Gradio)."""
        @functools.wraps(handler)
        def held(*args, **kwargs):
            with self._changed:
                self.started += 1
                self.inside += 1
                self.most_inside = max(self.most_inside, self.inside)
                self._changed.notify_all()
            try:
                self._opened.wait()
                return handler(*args, **kwargs)
            finally:
                with self._changed:
                    self.inside -= 1
        return held

    def wait_for_started(self, count: int, timeout: float) -> bool:
        """Whether `count` calls have started within `timeout` seconds (a deadline, not a measurement)."""
        with self._changed:
            return self._changed.wait_for(lambda: self.started >= count, timeout)

    def open(self) -> None:
        """Let every held call, and every later one, run."""
        self._opened.set()


@contextlib.contextmanager
def held(demo: gr.Blocks, *api_names: str) -> Iterator[Gate]:
    """Every call of `demo`'s endpoints `api_names` (served or not) waits on a gate until the test opens it: the
    handlers are the real ones, the queue and its limits the app's own. Leaving opens the gate and puts the handlers
    back."""
    functions = [function for function in demo.fns.values() if function.api_name in api_names]
    assert sorted(function.api_name for function in functions) == sorted(api_names), "an endpoint is missing"
    handlers = [function.fn for function in functions]
    gate = Gate()
    for function in functions:
        function.fn = gate.wrap(function.fn)
    try:
        yield gate
    finally:
        gate.open()
        for function, handler in zip(functions, handlers):
            function.fn = handler
