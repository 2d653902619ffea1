"""What every panel does with a request: find the pair, decode the image, analyse it, and turn the errors a user
can cause into clear messages."""
import functools
import logging

import gradio as gr
from PIL import Image

from explain.analysis_cache import Analysis, analyse
from images.decode import ImageError, load_image
from models import PAIRS, load_pair
from models.bundled import WeightsError
from models.hub import WeightsUnavailable
from models.pairs import Pair
from runtime.messages import Message, UserError
from ui.strings import translated

log = logging.getLogger(__name__)
TOP_CLASS = "(each model's top class)"


def user_errors(fn):
    """Turn the errors a user can cause or fix into clear gr.Error messages, in the request's language (English or
    Persian); log anything unexpected."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except (ImageError, WeightsUnavailable, WeightsError, ValueError) as error:
            raise gr.Error(translated(error), print_exception=False) from None
        except Exception:
            log.exception("unexpected failure in %s", fn.__name__)
            raise gr.Error(translated(Message("internal_error", function=fn.__name__)),
                           print_exception=False) from None
    return wrapper


def get_pair(name: str) -> Pair:
    """The named pair, or a clear message naming the valid pairs."""
    if name not in PAIRS:
        raise UserError("unknown_pair", name=name, pairs=", ".join(PAIRS))
    return load_pair(name)


def class_index(pair: Pair, class_name: str | None) -> int | None:
    """The index of a class chosen by name; None for each model's own top class."""
    if not class_name or class_name == TOP_CLASS:
        return None
    if class_name not in pair.labels:
        raise UserError("unknown_class", name=class_name, pair=pair.name)
    return pair.labels.index(class_name)


def image_analysis(image, pair_name: str, class_name: str | None = None) -> Analysis:
    """The shared, cached analysis of an uploaded image under a pair, for a class or each model's top class."""
    return decoded_analysis(image, pair_name, class_name)[1]


def decoded_analysis(image, pair_name: str, class_name: str | None = None) -> tuple[Image.Image, Analysis]:
    """The decoded upload and its analysis (see image_analysis)."""
    pair = get_pair(pair_name)
    picture = load_image(image)
    return picture, analyse(pair, picture, class_index(pair, class_name))
