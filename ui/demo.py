"""The app's page: the image and pair every tab shares, then one function per tab that lays it out and wires it.

The JSON endpoints are the app's public API, and so its MCP tools; every panel's event stays callable by api_name
(`api_visibility="undocumented"`: left out of the API page and of the MCP tools, not out of gradio_client's reach).
"""
import gradio as gr

from explain.passes import CNN_STAGES
from explain.rollout import HEAD_FUSIONS
from images.decode import MAX_FILE_BYTES
from lab.sweeps import SWEEPS
from models import PAIRS
from models.pairs import Pair
from ui import explanations, panels
from ui.components import UploadedImage
from ui.claims import claims_markdown
from ui.examples import EXAMPLES, first_example
from ui.first_view import first_view, prepare
from ui.gpu import on_zerogpu
from ui.layout import CSS, INTRO, THEME, findings, pair_markdown
from ui.pair_choice import choose_pair, startup_pair
from ui.requests import TOP_CLASS

MHA_HOMEWORK = {"heads": 3, "query input size (d_model)": 20, "d_k (per head)": 100, "d_v (per head)": 100,
                "d_out": 50, "key input size (0 = d_model)": 10, "value input size (0 = d_model)": 30}
QUEUE_SIZE = 32
CONCURRENCY = 2  # two CPU cores: more parallel requests only slow each other down
PANEL = "undocumented"  # api_visibility of the panels' events
DELETE_CACHE = (600, 3600)  # every 10 minutes, delete uploads and outputs older than an hour
SESSION_CAPACITY = 1000  # sessions whose state Gradio keeps (~150 kB each; its default of 10,000 is ~1.5 GB)


def build_demo(pair: str, queue_size: int = QUEUE_SIZE) -> gr.Blocks:
    """The whole app, with `pair` selected at start and its first view (an example's Compare result, the default
    Picasso face scored) shown on every page load (/first_view); at most `queue_size` requests wait in its queue."""
    loaded = startup_pair(pair)
    if not on_zerogpu():  # ZeroGPU has no GPU at start-up: there the first visit computes it
        prepare(loaded.name)
    with gr.Blocks(title="CNN vs ViT", delete_cache=DELETE_CACHE) as demo:
        gr.Markdown(INTRO)
        image, pair_name, current, pair_info = image_and_pair(loaded)
        class_name, compared = compare_tab(image, pair_name, loaded)
        layer, head = inside_tab(image, pair_name, loaded)
        scored = lab_tab(image, pair_name)
        theory_tab(pair_name)
        findings_tab()
        pair_name.change(choose_pair, [pair_name, current], [pair_name, current, pair_info, class_name, layer, head],
                         api_name="choose_pair", api_visibility=PANEL)
        json_endpoints(pair_name)
        demo.load(lambda: first_view(loaded.name).outputs, None, compared + scored, api_name="first_view",
                  api_visibility=PANEL, show_progress="hidden")
    demo.queue(max_size=queue_size, default_concurrency_limit=CONCURRENCY)
    return demo


def launch_options(mcp_server: bool = True) -> dict:
    """Settings shared by `python app.py` and the tests' in-process server; the MCP server (the JSON endpoints as
    tools, at /gradio_api/mcp/) is on unless `mcp_server` is False."""
    # Gradio's concurrency limit is per event listener; max_threads caps all panels together at CONCURRENCY.
    return {"max_file_size": MAX_FILE_BYTES, "max_threads": CONCURRENCY, "state_session_capacity": SESSION_CAPACITY,
            "theme": THEME, "css": CSS, "mcp_server": mcp_server}


def image_and_pair(loaded: Pair) -> tuple[UploadedImage, gr.Dropdown, gr.State, gr.Markdown]:
    """The image (the pair's first example selected) and the model pair that every tab works on, and the pair's
    description."""
    with gr.Row():
        with gr.Column(scale=2):
            image = UploadedImage(first_example(loaded.name), label="Image (upload, paste or webcam)",
                                  sources=["upload", "clipboard", "webcam"], type="filepath", height=300)
            # Explicitly uncached: Gradio caches examples (on Spaces by default, GRADIO_CACHE_EXAMPLES) only with fn
            # and outputs, and a panel's result depends on the pair and its settings, not on the image alone; an
            # example fills the image, and the first one's results are computed once at start-up (ui.first_view).
            gr.Examples(EXAMPLES, inputs=image, label="Examples: toy world, Picasso faces, photos",
                        cache_examples=False)
        with gr.Column(scale=1):
            pair_name = gr.Dropdown(list(PAIRS), value=loaded.name, label="Model pair")
            current = gr.State(loaded.name)
            pair_info = gr.Markdown(pair_markdown(loaded))
    return image, pair_name, current, pair_info


def compare_tab(image: UploadedImage, pair_name: gr.Dropdown,
                loaded: Pair) -> tuple[gr.Dropdown, list[gr.components.Component]]:
    """Top-5, latency, the four maps and their check against ground truth (/compare), and how faithful each map is
    (/faithfulness_panel); returns the class chooser, which a new pair refills, and /compare's outputs."""
    with gr.Tab("Compare"):
        with gr.Row():
            head_fusion = gr.Radio(list(HEAD_FUSIONS), value="mean", label="Rollout head fusion")
            discard = gr.Slider(0.0, 0.99, value=0.9, step=0.01, label="Rollout discard ratio")
            class_name = gr.Dropdown([TOP_CLASS] + loaded.labels, value=TOP_CLASS, label="Explain which class")
        button = gr.Button("Compare", variant="primary")
        gr.Markdown(claims_markdown("C4", "C2"))
        with gr.Row():
            cnn_label = gr.Label(num_top_classes=5, label="CNN: top-5", elem_classes="cnn")
            vit_label = gr.Label(num_top_classes=5, label="ViT: top-5", elem_classes="vit")
        latency = gr.Markdown()
        with gr.Row():
            gradcam = gr.Image(label="CNN: Grad-CAM (last stage)", elem_classes=["cnn", "model-pixels"])
            rollout = gr.Image(label="ViT: attention rollout (class-agnostic)", elem_classes=["vit", "model-pixels"])
            vit_cam = gr.Image(label="ViT: Grad-CAM on the last block (class-specific)",
                               elem_classes=["vit", "model-pixels"])
            chefer = gr.Image(label="ViT: Chefer et al. 2021 (class-specific)", elem_classes=["vit", "model-pixels"])
        ground_truth = gr.Markdown()
        gr.Markdown(f"### How faithful is each map?\nEach map's most salient pixels are deleted (or revealed) "
                    f"step by step while the model it explains is asked again. {explanations.FILL_NOTE}")
        faithful_button = gr.Button("Score the maps' faithfulness")
        faithful_plot = gr.Plot(label="Deletion and insertion curves")
    outputs = [cnn_label, vit_label, latency, gradcam, rollout, vit_cam, chefer, ground_truth]
    button.click(explanations.compare, [image, pair_name, head_fusion, discard, class_name], outputs,
                 api_name="compare", api_visibility=PANEL)
    faithful_button.click(explanations.faithfulness_panel, [image, pair_name, class_name], faithful_plot,
                          api_name="faithfulness_panel", api_visibility=PANEL)
    return class_name, outputs


def inside_tab(image: UploadedImage, pair_name: gr.Dropdown, loaded: Pair) -> tuple[gr.Slider, gr.Slider]:
    """Feature maps, attention per layer and head (/inside, /cls_attention), how far each looks (/how_far); returns
    the layer and head sliders, whose ranges follow the pair."""
    with gr.Tab("Inside"):
        with gr.Row():
            stage = gr.Radio(list(CNN_STAGES), value="layer1", label="CNN stage")
            layer = gr.Slider(1, len(loaded.vit.encoder.layers), value=1, step=1, label="ViT layer")
            head = gr.Slider(0, loaded.vit.num_heads, value=0, step=1, label="ViT head (0 = mean of heads)")
        button = gr.Button("Look inside", variant="primary")
        gr.Markdown(claims_markdown("C4", "C2", "C3"))
        with gr.Row():
            features = gr.Image(label="CNN: most active channels of the stage", elem_classes="cnn")
            cls_map = gr.Image(label="ViT: class-token attention, chosen layer and head",
                               elem_classes=["vit", "model-pixels"])
        attention_grid = gr.Plot(label="ViT: class-token attention, layer × head")
        gr.Markdown("### How far does each look?\nThe same measurement for both (the effective receptive field of "
                    "Luo et al. 2016): where each depth's output comes from in the image, as a mean distance. A "
                    "backward pass per depth: a few seconds on the toy pair, longer on the ImageNet pairs.")
        how_far_button = gr.Button("Measure how far each looks")
        looking = gr.Plot(label="How far does each look")
    button.click(panels.inside, [image, pair_name, stage, layer], [features, attention_grid],
                 api_name="inside", api_visibility=PANEL).then(
        panels.cls_attention_map, [image, pair_name, layer, head], cls_map, api_name="cls_attention",
        api_visibility=PANEL)
    how_far_button.click(panels.how_far, [image, pair_name], looking, api_name="how_far", api_visibility=PANEL)
    return layer, head


def lab_tab(image: UploadedImage, pair_name: gr.Dropdown) -> list[gr.components.Component]:
    """Sweeps and Picasso faces (/sweep_panel, /picasso_panel); returns /picasso_panel's outputs."""
    with gr.Tab("Invariance lab"):
        kind = gr.Radio(list(SWEEPS), value="rotate", label="Sweep")
        gr.Markdown("\n".join(f"- **{name}**: {spec.description}" for name, spec in SWEEPS.items()))
        sweep_button = gr.Button("Run sweep", variant="primary")
        gr.Markdown(claims_markdown("C5", "C6") + "\n\nPatch shuffle and patch drop are extra measurements (Naseer "
                    "et al. 2021), not the homework's claims.")
        sweep_plot = gr.Plot(label="Score of the originally predicted class")
        sweep_strip = gr.Image(label="What the models saw")
        sweep_json = gr.JSON(label="Numbers", open=False)
        gr.Markdown("### Picasso faces\nA toy face, then the same face with its parts moved, rotated or swapped. "
                    "One face can be unusual: the diamonds give each variant's rate over the report's held-out "
                    "faces, and the default face is one whose outcome is the typical one.")
        gr.Markdown(claims_markdown("C7", "C8", "C9"))
        with gr.Row():
            seed = gr.Number(panels.DEFAULT_FACE_SEED, precision=0, label="Face seed")
            picasso_button = gr.Button("Score Picasso faces", variant="primary")
        picasso_plot = gr.Plot(label="P(face) (else P(clean top-1)), CNN and ViT")
        picasso_json = gr.JSON(label="Numbers", open=False)
    sweep_button.click(panels.sweep_panel, [image, pair_name, kind], [sweep_plot, sweep_strip, sweep_json],
                       api_name="sweep_panel", api_visibility=PANEL)
    picasso_button.click(panels.picasso_panel, [pair_name, seed], [picasso_plot, picasso_json],
                         api_name="picasso_panel", api_visibility=PANEL)
    return [picasso_plot, picasso_json]


def theory_tab(pair_name: gr.Dropdown) -> None:
    """Parameters and FLOPs (/theory), the attention parameter calculator (/mha_parameters), Swin's Ω
    (/complexity)."""
    with gr.Tab("Theory"):
        theory_button = gr.Button("Count parameters and FLOPs", variant="primary")
        gr.Markdown(claims_markdown("C1"))
        with gr.Row():
            params_plot = gr.Plot(label="Parameters")
            flops_plot = gr.Plot(label="FLOPs per image")
        gr.Markdown("### Multi-head attention parameters (homework question 3)\n"
                    "Defaults are the homework's: 3 heads; queries, keys and values arriving with 20, 10 and "
                    "30 features; each head projecting them to 100; W_o mapping 3 × 100 to 50.")
        with gr.Row():
            mha_inputs = [gr.Number(v, precision=0, label=n) for n, v in MHA_HOMEWORK.items()]
            bias = gr.Checkbox(False, label="biases")
        mha_table = gr.Markdown(panels.mha_calculator(*MHA_HOMEWORK.values()))
        gr.Markdown(claims_markdown("C10"))
        gr.Markdown("### Swin: Ω(MSA) = 4hwC² + 2(hw)²C against Ω(W-MSA) = 4hwC² + 2M²hwC")
        gr.Markdown(claims_markdown("C11", "C12"))
        with gr.Row():
            channels = gr.Number(96, precision=0, label="C")
            window = gr.Number(7, precision=0, label="M")
            complexity_button = gr.Button("Plot and time", variant="primary")
        complexity_plot = gr.Plot(label="Complexity and measured time")
        reach_plot = gr.Plot(label="Tokens that can have influenced one token (56 × 56 grid, M × M windows)")
    theory_button.click(panels.theory, pair_name, [params_plot, flops_plot], api_name="theory", api_visibility=PANEL)
    gr.on([box.change for box in [*mha_inputs, bias]], panels.mha_calculator, [*mha_inputs, bias], mha_table,
          api_name="mha_parameters", api_visibility=PANEL)
    complexity_button.click(panels.complexity, [channels, window], complexity_plot, api_name="complexity",
                            api_visibility=PANEL).then(
        panels.window_reach, window, reach_plot, api_name="window_reach", api_visibility=PANEL)


def findings_tab() -> None:
    """FINDINGS.md and its figures."""
    with gr.Tab("Findings"):
        text, figures = findings()
        gr.Markdown(text)
        gr.Gallery(figures, label="Figures of FINDINGS.md", columns=2, height="auto")


JSON_ENDPOINTS = ("predict", "maps", "faithfulness", "sweep", "picasso", "mha_parameter_counts")


def json_endpoints(pair_name: gr.Dropdown) -> None:
    """/predict, /maps, /faithfulness, /sweep, /picasso and /mha_parameter_counts: the numbers alone, for API clients
    and MCP agents, on hidden inputs of their own (no image selected; any class name, checked against the pair)."""
    with gr.Row(visible=False):
        image = UploadedImage(type="filepath")
        top_k = gr.Number(5, precision=0)
        class_name = gr.Textbox(TOP_CLASS)
        kind = gr.Radio(list(SWEEPS), value="rotate")
        seed = gr.Number(panels.DEFAULT_FACE_SEED, precision=0)
        mha = [gr.Number(v, precision=0, label=n) for n, v in MHA_HOMEWORK.items()] + [gr.Checkbox(False)]
        outputs = {name: gr.JSON() for name in JSON_ENDPOINTS}
        buttons = {name: gr.Button() for name in outputs}
    buttons["predict"].click(panels.predict, [image, pair_name, top_k], outputs["predict"], api_name="predict")
    buttons["maps"].click(explanations.maps, [image, pair_name, class_name], outputs["maps"], api_name="maps")
    buttons["faithfulness"].click(explanations.faithfulness_scores, [image, pair_name, class_name],
                                  outputs["faithfulness"], api_name="faithfulness")
    buttons["sweep"].click(panels.sweep, [image, pair_name, kind], outputs["sweep"], api_name="sweep")
    buttons["picasso"].click(panels.picasso, [pair_name, seed], outputs["picasso"], api_name="picasso")
    buttons["mha_parameter_counts"].click(panels.mha_parameter_counts, mha, outputs["mha_parameter_counts"],
                                          api_name="mha_parameter_counts")
