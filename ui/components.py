"""A gr.Image input that hands the raw upload to images.decode.load_image instead of decoding it itself."""
import base64
import binascii

import gradio as gr
from gradio.data_classes import ImageData
from gradio.utils import get_upload_folder, is_in_or_equal

from runtime.messages import Message
from ui.strings import translated


class UploadedImage(gr.Image):
    """Same widget as gr.Image; its value reaches the function as the uploaded file's path (or bytes).

    gr.Image would open the file with PIL before our code runs and fail on a non-image with a generic
    message; here every upload goes through load_image, which explains what is wrong with the file.
    """

    is_template = True  # the browser draws it as a plain gr.Image

    def preprocess(self, payload: ImageData | None) -> str | bytes | None:
        if payload is None:
            return None
        if payload.url and payload.url.startswith("data:"):
            try:
                return base64.b64decode(payload.url.split(",", 1)[1], validate=False)
            except (IndexError, binascii.Error):
                raise gr.Error(translated(Message("pasted_unreadable")))
        if payload.path is None:
            raise gr.Error(translated(Message("nothing_received")))
        # Gradio checks only paths tagged as FileData; an untagged {"path": ...} from an API client arrives here
        # unchecked, so only files in Gradio's upload folder are ever opened.
        if not is_in_or_equal(payload.path, get_upload_folder()):
            raise gr.Error(translated(Message("not_uploaded_here")))
        return payload.path
