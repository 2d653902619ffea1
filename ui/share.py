""""Share this view": a gr.DeepLinkButton whose link reopens the page with the image, the pair, the tab and every
panel's settings (and the results on screen) as they were when it was clicked.

How Gradio's deep links work (gradio 6.31, routes.py and state_holder.py): the server keeps, per session, the config of
every component as of the last event that sent it as an input or returned it as an output. The button's script asks
/gradio_api/deep_link for that session; the server writes those configs to `deep_links/<hash>/state.json` in its upload
folder and answers the hash, which the script appends to the page's address as `?deep_link=<hash>` and copies to the
clipboard. A page opened with it gets those configs instead of the defaults. So a value that only the browser knows (an
image just uploaded, a slider just moved, the tab open now) would be missing: here a click first sends the view to the
server (`remember`), and the button's own script runs after that. The open tab reaches the server when it is chosen.
A page opened from a link skips the first view (ui.first_view.on_load) and takes the restored pair as its current one
(`keep_shared_pair`).

The link holds for as long as the server keeps its files: the image and result pictures are uploads, deleted an hour
after their creation (DELETE_CACHE in ui.demo) and on restart, so a link is for a lesson, not for an archive.
"""
import json
from collections.abc import Sequence

import gradio as gr

from ui.strings import t

RESET_MS = 1500
"""How long the button says "Link copied" before it reads "Share this view" again."""


class ShareButton(gr.DeepLinkButton):
    """gr.DeepLinkButton, with its click events wired by `wire`, in order, instead of at construction (where its link
    script would race the event that sends the view to the server)."""

    def activate(self) -> None:
        """Wired by `wire`."""

    def get_block_name(self) -> str:
        return "button"  # the browser draws it as it draws gr.DeepLinkButton: as a gr.Button


def share_button() -> ShareButton:
    """The button, placed where it is made; `wire` gives it its events once the view's components exist."""
    # The script writes the copied text into a JavaScript string literal: the key's marker, escaped as one.
    return ShareButton(t("share"), copied_value=json.dumps(str(t("share_copied")))[1:-1], size="sm")


def wire(button: ShareButton, view: Sequence[gr.components.Component], tabs: gr.Tabs) -> None:
    """A click sends `view` to the server, then copies the link, then the button reads as before; choosing a tab of
    `tabs` (each with an id) records it for the link."""
    back = f"() => new Promise(done => setTimeout(() => done({json.dumps(str(button.value))}), {RESET_MS}))"
    button.click(remember, list(view), None, preprocess=False, queue=False, show_progress="hidden",
                 api_visibility="private").then(
        None, None, button, js=button.get_share_link(str(button.value), button.copied_value),
        api_visibility="private").then(
        None, None, button, js=back, api_visibility="private")
    for tab in tabs.children:
        tab.select(_selecting(tab.id), None, tabs, queue=False, show_progress="hidden", api_visibility="private")


def _selecting(tab_id: str):
    return lambda: gr.Tabs(selected=tab_id)


def remember(*values) -> None:
    """Nothing to compute: receiving the values is what puts them in the session's state, and so in the link."""


def keep_shared_pair(pair_name: str) -> str:
    """On page load, the pair the page shows: the one a shared link restored, or the start-up one."""
    return pair_name
