"""The app's page: the image and pair every tab shares, then one function per tab that lays it out and wires it.

The JSON endpoints are the app's public API, and so its MCP tools; every panel's event stays callable by api_name
(`api_visibility="undocumented"`: left out of the API page and of the MCP tools, not out of gradio_client's reach).
"""
import gradio as gr

from explain.passes import CNN_STAGES
from explain.rollout import HEAD_FUSIONS
from images.decode import MAX_FILE_BYTES
from lab import swin
from lab.sweeps import SWEEPS
from lab.verdicts import HOMEWORK_MHA
from models import PAIRS
from models.pairs import Pair
from ui import arrangement, explanations, panels, picasso_photo, share, swin_view
from ui.components import UploadedImage
from ui.claims import claims_markdown
from ui.examples import EXAMPLES, first_example
from ui.first_view import on_load, prepare
from ui.gpu import on_zerogpu
from ui.layout import CSS, THEME, findings, pair_markdown, sweeps_markdown
from ui.pair_choice import choose_pair, class_choices, startup_pair
from ui.requests import TOP_CLASS
from ui.strings import I18N, LANGUAGES, t, translation

MHA_HOMEWORK = dict(zip(
    ("heads", "query input size (d_model)", "d_k (per head)", "d_v (per head)", "d_out", "key input size (0 = d_model)",
     "value input size (0 = d_model)"),
    (HOMEWORK_MHA["heads"], HOMEWORK_MHA["query_features"], HOMEWORK_MHA["per_head"], HOMEWORK_MHA["per_head"],
     HOMEWORK_MHA["out"], HOMEWORK_MHA["key_features"], HOMEWORK_MHA["value_features"])))
"""The calculator's defaults: question 3's attention, as the claim C10 reads it."""
MHA_LABELS = ("mha_heads", "mha_d_model", "mha_d_k", "mha_d_v", "mha_d_out", "mha_key_input", "mha_value_input")
"""The calculator's labels on the page (keys of ui.strings), in MHA_HOMEWORK's order; the API keeps its names."""
QUEUE_SIZE = 32
CONCURRENCY = 2  # two CPU cores: more parallel requests only slow each other down
PANEL = "undocumented"  # api_visibility of the panels' events
DELETE_CACHE = (600, 3600)  # every 10 minutes, delete uploads and outputs older than an hour
SESSION_CAPACITY = 640  # sessions whose state Gradio keeps, under 256 MB in all (BENCHMARKS.md, Notes, "Session state")


def build_demo(pair: str, queue_size: int = QUEUE_SIZE) -> gr.Blocks:
    """The whole app, with `pair` selected at start and its first view (an example's Compare result, the default
    Picasso face scored) shown on every page load (/first_view); at most `queue_size` requests wait in its queue."""
    loaded = startup_pair(pair)
    if not on_zerogpu():  # ZeroGPU has no GPU at start-up: there the first visit computes it
        prepare(loaded.name)
    with gr.Blocks(title="CNN vs ViT", delete_cache=DELETE_CACHE) as demo:
        gr.Markdown(t("intro"))
        image, pair_name, current, pair_info, share_button = image_and_pair(loaded)
        settings = [image, pair_name]  # what a shared link restores, besides the tab; each tab adds its own
        with gr.Tabs() as tabs:
            class_name, compared = compare_tab(image, pair_name, loaded, settings)
            layer, head = inside_tab(image, pair_name, loaded, settings)
            scored = lab_tab(image, pair_name, settings)
            theory_tab(image, pair_name, settings)
            findings_tab()
        share.wire(share_button, settings, tabs)
        pair_name.change(choose_pair, [pair_name, current], [pair_name, current, pair_info, class_name, layer, head],
                         api_name="choose_pair", api_visibility=PANEL)
        json_endpoints(pair_name)
        demo.load(on_load(loaded.name), None, compared + scored, api_name="first_view", api_visibility=PANEL,
                  show_progress="hidden")
        demo.load(share.keep_shared_pair, pair_name, current, queue=False, api_visibility="private",
                  show_progress="hidden")
    demo.queue(max_size=queue_size, default_concurrency_limit=CONCURRENCY)
    return demo


def launch_options(mcp_server: bool = True) -> dict:
    """Settings shared by `python app.py` and the tests' in-process server; the MCP server (the JSON endpoints as
    tools, at /gradio_api/mcp/) is on unless `mcp_server` is False."""
    # Gradio's concurrency limit is per event listener; max_threads caps all panels together at CONCURRENCY.
    return {"max_file_size": MAX_FILE_BYTES, "max_threads": CONCURRENCY, "state_session_capacity": SESSION_CAPACITY,
            "theme": THEME, "css": CSS, "mcp_server": mcp_server, "i18n": I18N}


def image_and_pair(loaded: Pair) -> tuple[UploadedImage, gr.Dropdown, gr.State, gr.Markdown, share.ShareButton]:
    """The image (the pair's first example selected) and the model pair that every tab works on, the pair's
    description, and the "Share this view" button."""
    with gr.Row():
        with gr.Column(scale=2):
            image = UploadedImage(first_example(loaded.name), label=t("image"),
                                  sources=["upload", "clipboard", "webcam"], type="filepath", height=300)
            # Explicitly uncached: Gradio caches examples (on Spaces by default, GRADIO_CACHE_EXAMPLES) only with fn
            # and outputs, and a panel's result depends on the pair and its settings, not on the image alone; an
            # example fills the image, and the first one's results are computed once at start-up (ui.first_view).
            gr.Examples(EXAMPLES, inputs=image, label=t("examples"),
                        cache_examples=False)
        with gr.Column(scale=1):
            pair_name = gr.Dropdown(list(PAIRS), value=loaded.name, label=t("pair"))
            current = gr.State(loaded.name)
            pair_info = gr.Markdown(translation("pair_info", *(pair_markdown(loaded, lang) for lang in LANGUAGES)))
            share_button = share.share_button()
    return image, pair_name, current, pair_info, share_button


def compare_tab(image: UploadedImage, pair_name: gr.Dropdown, loaded: Pair,
                settings: list) -> tuple[gr.Dropdown, list[gr.components.Component]]:
    """Top-5, latency, the four maps and their check against ground truth (/compare), and how faithful each map is
    (/faithfulness_panel); adds its settings to `settings`; returns the class chooser, which a new pair refills, and
    /compare's outputs."""
    with gr.Tab(t("tab_compare"), id="compare"):
        with gr.Row():
            head_fusion = gr.Radio([(t(f"fusion_{name}"), name) for name in HEAD_FUSIONS], value="mean",
                                   label=t("head_fusion"))
            discard = gr.Slider(0.0, 0.99, value=0.9, step=0.01, label=t("discard"))
            class_name = gr.Dropdown(class_choices(loaded), value=TOP_CLASS, label=t("class"))
        button = gr.Button(t("compare"), variant="primary")
        gr.Markdown(claims_markdown("C4", "C2"))
        with gr.Row():
            cnn_label = gr.Label(num_top_classes=5, label=t("cnn_top5"), elem_classes="cnn")
            vit_label = gr.Label(num_top_classes=5, label=t("vit_top5"), elem_classes="vit")
        latency = gr.Markdown()
        with gr.Row():
            gradcam = gr.Image(label=t("map_cnn_gradcam"), elem_classes=["cnn", "model-pixels"])
            rollout = gr.Image(label=t("map_rollout"), elem_classes=["vit", "model-pixels"])
            vit_cam = gr.Image(label=t("map_vit_gradcam"), elem_classes=["vit", "model-pixels"])
            chefer = gr.Image(label=t("map_chefer"), elem_classes=["vit", "model-pixels"])
        ground_truth = gr.Markdown()
        gr.Markdown(t("faithfulness_intro"))
        faithful_button = gr.Button(t("faithfulness_button"))
        faithful_plot = gr.Plot(label=t("faithfulness_plot"))
    settings += [head_fusion, discard, class_name]
    outputs = [cnn_label, vit_label, latency, gradcam, rollout, vit_cam, chefer, ground_truth]
    button.click(explanations.compare, [image, pair_name, head_fusion, discard, class_name], outputs,
                 api_name="compare", api_visibility=PANEL)
    faithful_button.click(explanations.faithfulness_panel, [image, pair_name, head_fusion, discard, class_name],
                          faithful_plot,
                          api_name="faithfulness_panel", api_visibility=PANEL)
    return class_name, outputs


def inside_tab(image: UploadedImage, pair_name: gr.Dropdown, loaded: Pair,
               settings: list) -> tuple[gr.Slider, gr.Slider]:
    """Feature maps, attention per layer and head (/inside, /cls_attention), how far each looks (/how_far), what the
    weights learned (/weights_learned); adds its settings to `settings`; returns the layer and head sliders, whose
    ranges follow the pair."""
    with gr.Tab(t("tab_inside"), id="inside"):
        with gr.Row():
            stage = gr.Radio(list(CNN_STAGES), value="layer1", label=t("stage"))
            layer = gr.Slider(1, len(loaded.vit.encoder.layers), value=1, step=1, label=t("layer"))
            head = gr.Slider(0, loaded.vit.num_heads, value=0, step=1, label=t("head"))
        button = gr.Button(t("look_inside"), variant="primary")
        gr.Markdown(claims_markdown("C4", "C2", "C2b", "C3"))
        with gr.Row():
            features = gr.Image(label=t("features"), elem_classes="cnn")
            cls_map = gr.Image(label=t("cls_map"), elem_classes=["vit", "model-pixels"])
        attention_grid = gr.Plot(label=t("attention_grid"))
        gr.Markdown(t("how_far_intro"))
        how_far_button = gr.Button(t("how_far_button"))
        looking = gr.Plot(label=t("how_far_plot"))
        gr.Markdown(t("weights_intro"))
        weights_button = gr.Button(t("weights_button"))
        filters = gr.Plot(label=t("weights_filters"))
        with gr.Row():
            learned_positions = gr.Plot(label=t("weights_positions"))
            fixed_positions = gr.Plot(label=t("weights_sincos"))
    settings += [stage, layer, head]
    button.click(panels.inside, [image, pair_name, stage, layer], [features, attention_grid],
                 api_name="inside", api_visibility=PANEL).then(
        panels.cls_attention_map, [image, pair_name, layer, head], cls_map, api_name="cls_attention",
        api_visibility=PANEL)
    how_far_button.click(panels.how_far, [image, pair_name], looking, api_name="how_far", api_visibility=PANEL)
    weights_button.click(panels.weights_learned, pair_name, [filters, learned_positions, fixed_positions],
                         api_name="weights_learned", api_visibility=PANEL)
    return layer, head


def lab_tab(image: UploadedImage, pair_name: gr.Dropdown, settings: list) -> list[gr.components.Component]:
    """Sweeps and Picasso faces (/sweep_panel, /picasso_panel); adds its settings to `settings`; returns
    /picasso_panel's outputs."""
    with gr.Tab(t("tab_lab"), id="lab"):
        kind = gr.Radio([(t(f"sweep_{name}"), name) for name in SWEEPS], value="rotate", label=t("sweep"))
        gr.Markdown(sweeps_markdown())
        sweep_button = gr.Button(t("sweep_button"), variant="primary")
        gr.Markdown(claims_markdown("C5", "C6"))
        gr.Markdown(t("extra_measurements"))
        sweep_plot = gr.Plot(label=t("sweep_plot"))
        sweep_strip = gr.Image(label=t("sweep_strip"))
        sweep_json = gr.JSON(label=t("numbers"), open=False)
        gr.Markdown(t("picasso_intro"))
        gr.Markdown(claims_markdown("C7", "C8", "C9"))
        with gr.Row():
            seed = gr.Number(panels.DEFAULT_FACE_SEED, precision=0, label=t("face_seed"))
            picasso_button = gr.Button(t("picasso_button"), variant="primary")
        picasso_plot = gr.Plot(label=t("picasso_plot"))
        picasso_json = gr.JSON(label=t("numbers"), open=False)
        picasso_photo.panel(image, pair_name)
        arrangement.panel()
    settings += [kind, seed]
    sweep_button.click(panels.sweep_panel, [image, pair_name, kind], [sweep_plot, sweep_strip, sweep_json],
                       api_name="sweep_panel", api_visibility=PANEL)
    picasso_button.click(panels.picasso_panel, [pair_name, seed], [picasso_plot, picasso_json],
                         api_name="picasso_panel", api_visibility=PANEL)
    return [picasso_plot, picasso_json]


def theory_tab(image: UploadedImage, pair_name: gr.Dropdown, settings: list) -> None:
    """Parameters and FLOPs (/theory), the attention parameter calculator (/mha_parameters), Swin's Ω
    (/complexity), the measured cost curve (/swin_cost_panel) and Swin-T on the image (/swin_view, a clicked token's
    reach: /swin_reach_panel); adds its settings to `settings`."""
    with gr.Tab(t("tab_theory"), id="theory"):
        theory_button = gr.Button(t("theory_button"), variant="primary")
        gr.Markdown(claims_markdown("C1"))
        with gr.Row():
            params_plot = gr.Plot(label=t("parameters_plot"))
            flops_plot = gr.Plot(label=t("flops_plot"))
        gr.Markdown(t("mha_intro"))
        with gr.Row():
            mha_inputs = [gr.Number(v, precision=0, label=t(key)) for key, v in zip(MHA_LABELS, MHA_HOMEWORK.values())]
            bias = gr.Checkbox(False, label=t("biases"))
        counts = panels.mha_parameter_counts(*MHA_HOMEWORK.values())
        mha_table = gr.Markdown(translation("mha_homework", *(panels.mha_table(counts, MHA_HOMEWORK["heads"], lang)
                                                              for lang in LANGUAGES)))
        gr.Markdown(claims_markdown("C10"))
        gr.Markdown("### Swin: Ω(MSA) = 4hwC² + 2(hw)²C against Ω(W-MSA) = 4hwC² + 2M²hwC")
        gr.Markdown(claims_markdown("C10b", "C11", "C12", "C12b"))
        with gr.Row():
            channels = gr.Number(swin.CHANNELS, precision=0, label="C")
            window = gr.Number(swin.WINDOW, precision=0, label="M")
            complexity_button = gr.Button(t("complexity_button"), variant="primary")
        complexity_plot = gr.Plot(label=t("complexity_plot"))
        reach_plot = gr.Plot(label=t("reach_plot"))
        cost_button = gr.Button(t("swin_cost_button"))
        cost_plot = gr.Plot(label=t("swin_cost_plot"))
        swin_controls = swin_panel(image)
    settings += [*mha_inputs, bias, channels, window, *swin_controls]
    theory_button.click(panels.theory, pair_name, [params_plot, flops_plot], api_name="theory", api_visibility=PANEL)
    gr.on([box.change for box in [*mha_inputs, bias]], panels.mha_calculator, [*mha_inputs, bias], mha_table,
          api_name="mha_parameters", api_visibility=PANEL)
    complexity_button.click(panels.complexity, [channels, window], complexity_plot, api_name="complexity",
                            api_visibility=PANEL).then(
        panels.window_reach, window, reach_plot, api_name="window_reach", api_visibility=PANEL)
    cost_button.click(swin_view.swin_cost_panel, None, cost_plot, api_name="swin_cost_panel", api_visibility=PANEL)


def swin_panel(image: UploadedImage) -> list[gr.components.Component]:
    """Swin-T on the image: the crop to click, its windows, one window's attention (/swin_view), and the clicked
    token's traced reach (/swin_reach_panel); returns its settings."""
    gr.Markdown(t("swin_intro"))
    with gr.Row():
        stage = gr.Radio([1, 2, 3, 4], value=1, label=t("swin_stage"))
        block = gr.Slider(1, 6, value=2, step=1, label=t("swin_block"))
        head = gr.Slider(1, 24, value=1, step=1, label=t("swin_head"))
    with gr.Row():
        row = gr.Number(28, precision=0, label=t("swin_row"))
        column = gr.Number(28, precision=0, label=t("swin_column"))
        view_button = gr.Button(t("swin_button"), variant="primary")
        reach_button = gr.Button(t("swin_reach_button"))
    with gr.Row():
        crop = gr.Image(label=t("swin_crop"), interactive=False, height=360, scale=1, elem_id="swin-crop")
        windows = gr.Plot(label=t("swin_windows_plot"), scale=2)
    attention = gr.Plot(label=t("swin_attention_plot"))
    about = gr.Markdown()
    reach_plot = gr.Plot(label=t("swin_reach_plot"))
    reach_about = gr.Markdown(elem_id="swin-reach-about")
    view_inputs, view_outputs = [image, stage, block, head, row, column], [crop, windows, attention, about]
    view_button.click(swin_view.swin_view, view_inputs, view_outputs, api_name="swin_view", api_visibility=PANEL)
    reach_button.click(swin_view.swin_reach_panel, [row, column], [reach_plot, reach_about],
                       api_name="swin_reach_panel", api_visibility=PANEL)
    crop.select(swin_view.select_token, None, [row, column], api_visibility="private").success(
        swin_view.swin_view, view_inputs, view_outputs, api_visibility="private").success(
        swin_view.swin_reach_panel, [row, column], [reach_plot, reach_about], api_visibility="private")
    return [stage, block, head, row, column]


def findings_tab() -> None:
    """FINDINGS.md and its figures."""
    with gr.Tab(t("tab_findings"), id="findings"):
        text, figures = findings()
        gr.Markdown(text, elem_classes="findings")
        gr.Gallery(figures, label=t("findings_figures"), columns=2, height="auto")


JSON_ENDPOINTS = ("predict", "maps", "faithfulness", "sweep", "picasso", "mha_parameter_counts", "picasso_photo",
                  "swin_cost", "swin_reach", "swin_window_attention")


def json_endpoints(pair_name: gr.Dropdown) -> None:
    """/predict, /maps, /faithfulness, /sweep, /picasso, /mha_parameter_counts, /picasso_photo, /swin_cost,
    /swin_reach and /swin_window_attention: the numbers alone, for API clients and MCP agents, on hidden inputs of
    their own (no image selected; any class name, checked against the pair)."""
    with gr.Row(visible=False):
        image = UploadedImage(type="filepath")
        top_k = gr.Number(5, precision=0)
        class_name = gr.Textbox(TOP_CLASS)
        kind = gr.Radio(list(SWEEPS), value="rotate")
        seed = gr.Number(panels.DEFAULT_FACE_SEED, precision=0)
        mha = [gr.Number(v, precision=0, label=n) for n, v in MHA_HOMEWORK.items()] + [gr.Checkbox(False)]
        swin_stage, swin_block, swin_head = (gr.Number(v, precision=0) for v in (1, 2, 1))
        swin_row, swin_column = gr.Number(28, precision=0), gr.Number(28, precision=0)
        swin_blocks = gr.CheckboxGroup([1, 2, 3, 4], value=[1, 2, 4])
        swin_model = gr.Dropdown(list(swin_view.COST_MODELS), value="all")
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
    picasso_photo.json_endpoint(image, pair_name, buttons["picasso_photo"], outputs["picasso_photo"])
    buttons["swin_cost"].click(swin_view.swin_cost, swin_model, outputs["swin_cost"], api_name="swin_cost")
    buttons["swin_reach"].click(swin_view.swin_reach, [swin_row, swin_column, swin_blocks], outputs["swin_reach"],
                                api_name="swin_reach")
    buttons["swin_window_attention"].click(swin_view.swin_window_attention,
                                           [image, swin_stage, swin_block, swin_head, swin_row, swin_column],
                                           outputs["swin_window_attention"], api_name="swin_window_attention")
