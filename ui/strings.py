"""The interface's words, in English and Persian: one table, shown through gr.I18n.

Labels, buttons, tab names and the page's fixed Markdown reach the page as `t(key)` (gr.I18n's keys); the browser
shows them in its language (Persian for `fa`, English otherwise; Gradio picks the locale from the browser's).
What the server writes while answering — error and warning messages, progress texts, the panels' Markdown — can't go
through gr.I18n (Gradio 6.31 shows a gr.Error or gr.Warning carrying a key as the raw key), so `text(key)` (this
table) and `translated(message)` (a message raised or reported anywhere in the code, by its key in
runtime.messages) write it in the language of the request's Accept-Language, which the browser derives from the
same setting. Model names and ImageNet classes stay as they are, numbers take Persian digits in Persian; JSON answers
and API clients (no Persian Accept-Language) get English.
"""
import gradio as gr
from gradio.context import LocalContext
from gradio.i18n import I18nData

from explain.faithfulness import STEPS
from figures.theme import CNN_COLOR, VIT_COLOR
from lab.sweeps import SWEEPS
from runtime.messages import MESSAGES, Message, MessageError, fill, persian_digits

LANGUAGES = ("en", "fa")

STRINGS: dict[str, tuple[str, str]] = {
    "intro": (
        f"""
# CNN vs ViT: how a convolutional network and a vision transformer see the same image
One image goes through a <span style="color:{CNN_COLOR}">**CNN** (a ResNet)</span> and a
<span style="color:{VIT_COLOR}">**ViT** (the homework's hand-written Vision Transformer)</span>.
**Compare** their predictions and where they look, look **Inside** at feature maps and attention heads,
test the homework's invariance claims in the **Invariance lab**, and check the arithmetic in **Theory**.
What the measurements say about each claim — including where they contradict the homework — is in the
**Findings** tab (FINDINGS.md in the repository).
""",
        f"""
# CNN در برابر ViT: یک شبکهٔ کانولوشنی و یک ترنسفورمر بینایی یک تصویر را چگونه می‌بینند
یک تصویر هم از یک <span style="color:{CNN_COLOR}">**CNN** (یک ResNet)</span> می‌گذرد و هم از یک
<span style="color:{VIT_COLOR}">**ViT** (ترنسفورمر بینایی‌ای که در تمرین دستی نوشته شده)</span>.
در زبانهٔ **مقایسه** پیش‌بینی‌ها و جاهایی را که هر مدل به آن‌ها نگاه می‌کند کنار هم ببینید، در **درون مدل**
نقشه‌های ویژگی و سرهای توجه را بکاوید، ادعاهای تمرین دربارهٔ ناوردایی را در **آزمایشگاه ناوردایی** بیازمایید
و حساب‌ها را در **نظریه** وارسی کنید. این‌که اندازه‌گیری‌ها دربارهٔ هر ادعا چه می‌گویند — از جمله جاهایی که
با تمرین نمی‌خوانند — در زبانهٔ **یافته‌ها** آمده است (FINDINGS.md در مخزن).
"""),
    "image": ("Image (upload, paste or webcam)", "تصویر (بارگذاری، چسباندن یا وب‌کم)"),
    "examples": ("Examples: toy world, Picasso faces, photos", "نمونه‌ها: جهان اسباب‌بازی، چهره‌های پیکاسویی، عکس‌ها"),
    "pair": ("Model pair", "جفت مدل"),
    "share": ("Share this view", "هم‌رسانی این نما"),
    "share_copied": ("Link copied", "پیوند رونوشت شد"),
    "tab_compare": ("Compare", "مقایسه"),
    "tab_inside": ("Inside", "درون مدل"),
    "tab_lab": ("Invariance lab", "آزمایشگاه ناوردایی"),
    "tab_theory": ("Theory", "نظریه"),
    "tab_findings": ("Findings", "یافته‌ها"),
    "head_fusion": ("Rollout head fusion", "ترکیب سرها در رول‌اوت"),
    "fusion_mean": ("mean", "میانگین"),
    "fusion_max": ("max", "بیشینه"),
    "fusion_min": ("min", "کمینه"),
    "discard": ("Rollout discard ratio", "نسبت دورریز در رول‌اوت"),
    "class": ("Explain which class", "توضیح کدام کلاس"),
    "top_class": ("(each model's top class)", "(کلاس برتر هر مدل)"),
    "compare": ("Compare", "مقایسه کن"),
    "cnn_top5": ("CNN: top-5", "CNN: پنج کلاس برتر"),
    "vit_top5": ("ViT: top-5", "ViT: پنج کلاس برتر"),
    "map_cnn_gradcam": ("CNN: Grad-CAM (last stage)", "CNN: Grad-CAM (آخرین مرحله)"),
    "map_rollout": ("ViT: attention rollout (class-agnostic)", "ViT: رول‌اوت توجه (مستقل از کلاس)"),
    "map_vit_gradcam": ("ViT: Grad-CAM on the last block (class-specific)",
                        "ViT: Grad-CAM روی آخرین بلوک (وابسته به کلاس)"),
    "map_chefer": ("ViT: Chefer et al. 2021 (class-specific)", "ViT: روش Chefer و همکاران ۲۰۲۱ (وابسته به کلاس)"),
    "faithfulness_intro": (
        "### How faithful is each map?\nEach map's most salient pixels are deleted (or revealed) step by step while "
        "the model it explains is asked again. Deleted pixels take a blurred copy of the image (as in RISE), not "
        f"black; {STEPS} steps of {100 / STEPS:.0f}% of the pixels; random map = the baseline every method must beat.",
        "### هر نقشه چقدر وفادار است؟\nبرجسته‌ترین پیکسل‌های هر نقشه گام به گام حذف (یا آشکار) می‌شوند و هر بار "
        "دوباره از مدلی که نقشه توضیحش می‌دهد پرسیده می‌شود. به جای پیکسل‌های حذف‌شده نسخه‌ای تار از خود تصویر "
        f"می‌نشیند (مانند RISE)، نه سیاه؛ {persian_digits(str(STEPS))} گام، هر گام {persian_digits(f'{100 / STEPS:.0f}')}٪ "
        "پیکسل‌ها؛ نقشهٔ تصادفی خط پایه‌ای "
        "است که هر روشی باید از آن بهتر باشد."),
    "faithfulness_button": ("Score the maps' faithfulness", "وفاداری نقشه‌ها را بسنج"),
    "faithfulness_plot": ("Deletion and insertion curves", "منحنی‌های حذف و درج"),
    "stage": ("CNN stage", "مرحلهٔ CNN"),
    "layer": ("ViT layer", "لایهٔ ViT"),
    "head": ("ViT head (0 = mean of heads)", "سر توجه ViT (۰ = میانگین سرها)"),
    "look_inside": ("Look inside", "درون مدل را ببین"),
    "features": ("CNN: most active channels of the stage", "CNN: فعال‌ترین کانال‌های این مرحله"),
    "cls_map": ("ViT: class-token attention, chosen layer and head", "ViT: توجه توکن کلاس، در لایه و سر برگزیده"),
    "attention_grid": ("ViT: class-token attention, layer × head", "ViT: توجه توکن کلاس، لایه × سر"),
    "how_far_intro": (
        "### How far does each look?\nThe same measurement for both (the effective receptive field of Luo et al. "
        "2016): where each depth's output comes from in the image, as a mean distance. A backward pass per depth: a "
        "few seconds on the toy pair, longer on the ImageNet pairs.",
        "### هر کدام تا کجا را می‌بیند؟\nیک اندازه‌گیری یکسان برای هر دو (میدان ادراکی مؤثر Luo و همکاران ۲۰۱۶): "
        "خروجی هر عمق از کجای تصویر می‌آید، به صورت یک فاصلهٔ میانگین. برای هر عمق یک گذر پس‌رو لازم است: روی جفت "
        "اسباب‌بازی چند ثانیه و روی جفت‌های ImageNet بیشتر."),
    "how_far_button": ("Measure how far each looks", "بسنج هر کدام تا کجا را می‌بیند"),
    "how_far_plot": ("How far does each look", "هر کدام تا کجا را می‌بیند"),
    # The Inside tab's "What the weights learned" (ui.panels.weights_learned).
    "weights_intro": (
        "### What the weights learned\nThe first layer of each model, drawn: the CNN's first convolution, and the "
        "ViT's patch embedding (a convolution too) as its principal components, each with its share of the variance "
        "(Dosovitskiy et al. 2020, Fig. 7). Then the ViT's learned position embeddings: in each small map, how similar "
        "one patch position's embedding is to every other position's; beside it, a fixed 2D sin-cos embedding "
        "(Beyer et al. 2022) for comparison. Weights only: no image needed (C4).",
        "### وزن‌ها چه آموخته‌اند\nلایهٔ نخست هر مدل، رسم‌شده: نخستین کانولوشن CNN، و تعبیهٔ وصله‌های ViT (که آن "
        "هم یک کانولوشن است) به صورت مؤلفه‌های اصلی‌اش، هر یک با سهمش از واریانس (Dosovitskiy و همکاران ۲۰۲۰، شکل "
        "۷). سپس بردارهای موقعیت آموخته‌شدهٔ ViT: در هر نقشهٔ کوچک، شباهت بردار موقعیت یک وصله با بردار موقعیت "
        "همهٔ وصله‌های دیگر؛ و در کنارش، برای مقایسه، بردارهای موقعیت ثابت سینوسی‌کسینوسی دوبعدی (Beyer و همکاران "
        "۲۰۲۲). تنها وزن‌ها: تصویری لازم نیست (C4)."),
    "weights_button": ("Draw what the weights learned", "آنچه وزن‌ها آموخته‌اند را رسم کن"),
    "weights_filters": ("First-layer filters: CNN, and the ViT's patch embedding (principal components)",
                        "فیلترهای لایهٔ نخست: CNN، و تعبیهٔ وصله‌های ViT (مؤلفه‌های اصلی)"),
    "weights_positions": ("ViT: cosine similarity of the learned position embeddings",
                          "ViT: شباهت کسینوسی بردارهای موقعیت آموخته‌شده"),
    "weights_sincos": ("Fixed 2D sin-cos position embeddings, for comparison",
                       "بردارهای موقعیت ثابت سینوسی‌کسینوسی دوبعدی، برای مقایسه"),
    "sweep": ("Sweep", "پیمایش"),
    **{f"sweep_{kind}": MESSAGES[spec.title.key] for kind, spec in SWEEPS.items()},  # the sweeps' titles
    "sweep_button": ("Run sweep", "پیمایش را اجرا کن"),
    "extra_measurements": ("Patch shuffle and patch drop are extra measurements (Naseer et al. 2021), not the "
                           "homework's claims.",
                           "بُر زدن و حذف وصله‌ها اندازه‌گیری‌های افزوده‌اند (Naseer و همکاران ۲۰۲۱)، نه ادعاهای "
                           "تمرین."),
    "sweep_plot": ("Score of the originally predicted class", "امتیاز کلاسی که در آغاز پیش‌بینی شده بود"),
    "sweep_strip": ("What the models saw", "آنچه مدل‌ها دیدند"),
    "numbers": ("Numbers", "عددها"),
    "arrangement_title": ("When arrangement matters: the arrangement experiment",
                          "وقتی چیدمان مهم است: آزمایش چیدمان"),
    "arrangement_intro": (
        "On the toy world alone the parts identify a face, so no model needs their arrangement. This experiment adds "
        "a class, `jumbled face` (a face's parts out of place), and trains five architectures from scratch, three "
        "seeds each, each until its validation accuracy plateaus: the CNN with and without global pooling, the "
        "seed's ViT with learned, fixed sin-cos and no position embeddings. Faces (a)–(d) never appear in training. "
        "Numbers and verdicts (C7, C8, C9, C13, C14) are in the Findings tab; the pair `toy-arrangement` holds the "
        "pooled CNN and the ViT with learned position embeddings.",
        "در جهان اسباب‌بازی به‌تنهایی، خودِ اجزا چهره را مشخص می‌کنند و هیچ مدلی به چیدمانشان نیازی ندارد. این "
        "آزمایش کلاسی می‌افزاید، «چهرهٔ درهم» (اجزای چهره بیرون از جای خود)، و پنج معماری را از صفر، هر کدام با سه "
        "بذر تصادفی و تا وقتی دقت اعتبارسنجی‌شان دیگر بالا نرود، آموزش می‌دهد: شبکهٔ کانولوشنی با تجمیع سراسری و بی "
        "آن، و ViT تمرین با تعبیه‌های مکانیِ آموختنی، با تعبیه‌های مکانیِ ثابت سینوسی و بی تعبیهٔ مکانی. چهره‌های "
        "(a) تا (d) هرگز در آموزش دیده نمی‌شوند. عددها و داوری‌ها (C7، C8، C9، C13، C14) در زبانهٔ یافته‌ها هستند؛ "
        "جفت `toy-arrangement` شبکهٔ کانولوشنی با تجمیع و ViT با تعبیه‌های مکانیِ آموختنی را در خود دارد."),
    "arrangement_missing": (
        "The experiment has not been run here yet: `python -m lab.arrangement`, then "
        "`python -m findings.report --arrangement findings/arrangement.json`.",
        "این آزمایش هنوز اینجا اجرا نشده است: `python -m lab.arrangement` و سپس "
        "`python -m findings.report --arrangement findings/arrangement.json`."),
    "arrangement_face_vs_jumbled_caption": ("Faces against jumbled faces: accuracy of each architecture",
                                            "چهره در برابر چهرهٔ درهم: دقت هر معماری"),
    "arrangement_held_out_caption": ("Held-out faces (a)–(d): the share each architecture calls a face",
                                     "چهره‌های کنارگذاشته (a) تا (d): سهمی که هر معماری چهره می‌نامد"),
    "arrangement_shuffle_caption": ("Clean faces with their patches shuffled: how often the top-1 label stays",
                                    "چهره‌های سالم با وصله‌های بُرخورده: چند بار برچسب اول همان می‌ماند"),
    "arrangement_learning_curve_caption": ("Face against jumbled face by training-set size: which bias learns "
                                           "arrangement with less data",
                                           "چهره در برابر چهرهٔ درهم بر حسب اندازهٔ دادهٔ آموزشی: کدام سوگیری "
                                           "چیدمان را با دادهٔ کمتر یاد می‌گیرد"),
    "arrangement_training_caption": ("Training at full size, every seed: validation accuracy and training loss "
                                     "against steps",
                                     "آموزش با همهٔ داده، هر بذر: دقت اعتبارسنجی و خطای آموزش بر حسب گام‌های "
                                     "بهینه‌سازی"),
    "arrangement_positions_caption": ("What the position embeddings learned: each patch's cosine similarity with "
                                      "every other, for the toy ViT, the arrangement ViT and fixed sin-cos",
                                      "آنچه تعبیه‌های مکانی آموخته‌اند: شباهت کسینوسی هر وصله با وصله‌های دیگر، "
                                      "برای ViT اسباب‌بازی، ViT آزمایش چیدمان و تعبیهٔ ثابت سینوسی"),
    "arrangement_fine_tuning_caption": ("The homework's protocol: the pretrained toy ViT fine-tuned, validation "
                                        "accuracy after each epoch at three learning rates, every seed (C13)",
                                        "روش تمرین: ViT اسباب‌بازیِ ازپیش‌آموخته با تنظیم دقیق، دقت اعتبارسنجی پس "
                                        "از هر ایپاک با سه نرخ یادگیری، هر بذر (C13)"),
    "picasso_intro": (
        "### Picasso faces\nA toy face, then the same face with its parts moved, rotated or swapped. One face can be "
        "unusual: the diamonds give each variant's rate over the report's held-out faces, and the default face is "
        "one whose outcome is the typical one.",
        "### چهره‌های پیکاسویی\nیک چهرهٔ اسباب‌بازی، و سپس همان چهره با اجزایی که جابه‌جا، چرخانده یا با هم عوض "
        "شده‌اند. یک چهره ممکن است استثنا باشد: لوزی‌ها نرخ هر گونه را روی چهره‌های کنارگذاشته‌شدهٔ گزارش نشان "
        "می‌دهند، و چهرهٔ پیش‌فرض چهره‌ای است که نتیجه‌اش همان نتیجهٔ رایج است."),
    "face_seed": ("Face seed", "بذر چهره"),
    "picasso_button": ("Score Picasso faces", "چهره‌های پیکاسویی را امتیاز بده"),
    "picasso_plot": ("P(face) (else P(clean top-1)), CNN and ViT",
                     "P(face) (وگرنه P(کلاس برتر تصویر سالم))، CNN و ViT"),
    "theory_button": ("Count parameters and FLOPs", "پارامترها و FLOPها را بشمار"),
    "parameters_plot": ("Parameters", "پارامترها"),
    "flops_plot": ("FLOPs per image", "FLOPs برای هر تصویر"),
    "mha_intro": (
        "### Multi-head attention parameters (homework question 3)\nDefaults are the homework's: 3 heads; queries, "
        "keys and values arriving with 20, 10 and 30 features; each head projecting them to 100; W_o mapping 3 × 100 "
        "to 50.",
        "### پارامترهای توجه چندسر (پرسش ۳ تمرین)\nمقدارهای پیش‌فرض همان‌های تمرین‌اند: ۳ سر؛ پرس‌وجوها، کلیدها "
        "و مقدارها با ۲۰، ۱۰ و ۳۰ ویژگی می‌رسند؛ هر سر آن‌ها را به ۱۰۰ می‌نگارد؛ W_o از ۳ × ۱۰۰ به ۵۰ می‌برد."),
    "mha_heads": ("heads", "تعداد سرها"),
    "mha_d_model": ("query input size (d_model)", "اندازهٔ ورودی پرس‌وجو (d_model)"),
    "mha_d_k": ("d_k (per head)", "d_k (برای هر سر)"),
    "mha_d_v": ("d_v (per head)", "d_v (برای هر سر)"),
    "mha_d_out": ("d_out", "d_out (اندازهٔ خروجی)"),
    "mha_key_input": ("key input size (0 = d_model)", "اندازهٔ ورودی کلید (۰ = d_model)"),
    "mha_value_input": ("value input size (0 = d_model)", "اندازهٔ ورودی مقدار (۰ = d_model)"),
    "biases": ("biases", "بایاس‌ها"),
    "complexity_button": ("Plot and time", "رسم و زمان‌سنجی کن"),
    "complexity_plot": ("Complexity and measured time", "پیچیدگی و زمان اندازه‌گیری‌شده"),
    "reach_plot": ("Tokens that can have influenced one token (56 × 56 grid, M × M windows)",
                   "توکن‌هایی که می‌توانسته‌اند بر یک توکن اثر بگذارند (شبکه‌بندی ۵۶ × ۵۶، پنجره‌های M × M)"),
    # The Theory tab's Swin-T view (ui.swin_view).
    "swin_intro": (
        "### Swin-T on this image: its windows, one window's attention, one token's reach\nThe image above, cut to "
        "its central square and resized to Swin-T's 224 px. At each stage Swin-T attends inside windows of 7 × 7 "
        "tokens (a token is 4 px at stage 1, 8, 16 and 32 px after each patch merging); every second block shifts the "
        "windows by 3 tokens, with a cyclic shift of the whole grid, so the windows at the bottom and right edges wrap "
        "around to the top and left, and a mask keeps the two strips apart. Click a token on the 224 px image (or type "
        "its row and column on the 56 × 56 grid of 4 px patches) to see its attention over its window's 49 keys at "
        "the chosen block and head, recomputed from the block's input, and which input patches it depends on after 1, "
        "2 and 4 blocks (gradients traced in float64, a few seconds per token) beside the ViT's after one block.",
        "### Swin-T روی این تصویر: پنجره‌هایش، توجه درون یک پنجره، و دامنهٔ اثر یک توکن\nتصویر بالا، بریده به مربع "
        "میانی‌اش و تغییراندازه‌یافته به ۲۲۴ پیکسلِ Swin-T. در هر مرحله Swin-T درون پنجره‌هایی از ۷ × ۷ توکن توجه "
        "می‌کند (هر توکن در مرحلهٔ نخست ۴ پیکسل است و پس از هر ادغام وصله‌ها ۸، ۱۶ و ۳۲ پیکسل)؛ هر بلوک دوم "
        "پنجره‌ها را ۳ توکن جابه‌جا می‌کند، با جابه‌جایی چرخشیِ کل شبکه، پس پنجره‌های لبهٔ پایین و راست به بالا و "
        "چپ تصویر می‌پیچند و یک ماسک دو نوار را از هم جدا نگه می‌دارد. روی یک توکن در تصویر ۲۲۴ پیکسلی کلیک کنید "
        "(یا سطر و ستونش را در شبکهٔ ۵۶ × ۵۶ وصله‌های ۴ پیکسلی بنویسید) تا توجهش را روی ۴۹ کلید پنجره‌اش در بلوک و "
        "سرِ برگزیده ببینید، که از ورودی همان بلوک از نو محاسبه شده است، و این‌که پس از ۱، ۲ و ۴ بلوک به کدام "
        "وصله‌های ورودی وابسته است (ردگیری گرادیان با float64، چند ثانیه برای هر توکن)، در کنار ViT پس از یک "
        "بلوک."),
    "swin_stage": ("Swin-T stage (windows and attention)", "مرحلهٔ Swin-T (پنجره‌ها و توجه)"),
    "swin_block": ("Block within the stage (stage 3 has 6, the others 2; even blocks are shifted)",
                   "بلوک درون مرحله (مرحلهٔ ۳ شش بلوک دارد و بقیه دو بلوک؛ بلوک‌های زوج جابه‌جا شده‌اند)"),
    "swin_head": ("Head (stage 1 has 3, stage 2 has 6, stage 3 has 12, stage 4 has 24)",
                  "سر توجه (مرحلهٔ ۱ سه سر، مرحلهٔ ۲ شش، مرحلهٔ ۳ دوازده و مرحلهٔ ۴ بیست‌وچهار سر دارد)"),
    "swin_row": ("Token row (56 × 56 grid of 4 px patches, 0–55)", "سطر توکن (شبکهٔ ۵۶ × ۵۶ وصله‌های ۴ پیکسلی، ۰ تا ۵۵)"),
    "swin_column": ("Token column (0–55)", "ستون توکن (۰ تا ۵۵)"),
    "swin_button": ("Show the windows and the attention", "پنجره‌ها و توجه را نشان بده"),
    "swin_reach_button": ("Trace this token's reach", "دامنهٔ اثر این توکن را ردگیری کن"),
    "swin_crop": ("Swin-T's input (224 px): click a token", "ورودی Swin-T (۲۲۴ پیکسل): روی یک توکن کلیک کنید"),
    "swin_windows_plot": ("W-MSA and SW-MSA windows at the chosen stage", "پنجره‌های W-MSA و SW-MSA در مرحلهٔ برگزیده"),
    "swin_attention_plot": ("The token's attention over its window", "توجه توکن روی پنجره‌اش"),
    "swin_reach_plot": ("Which input patches the token depends on: Swin-T after 1, 2 and 4 blocks, the ViT after one",
                        "توکن به کدام وصله‌های ورودی وابسته است: Swin-T پس از ۱، ۲ و ۴ بلوک، ViT پس از یک بلوک"),
    "swin_cost_button": ("Draw the measured cost curve", "منحنی هزینهٔ اندازه‌گیری‌شده را رسم کن"),
    "swin_cost_plot": ("FLOPs and time against tokens: DeiT-S, Swin-T, ResNet-50 (random weights)",
                       "FLOPs و زمان بر حسب تعداد توکن: DeiT-S، Swin-T و ResNet-50 (وزن‌های تصادفی)"),
    "swin_weights_hub": ("**Weights:** `{repo}` (ImageNet-1k), pretrained from the Hub cache.",
                         "**وزن‌ها:** `{repo}` (ImageNet-1k)، پیش‌آموخته، از حافظهٔ نهان Hub."),
    "swin_weights_random": ("**Weights:** random init (seed {seed}): the Hub cache holds no `{repo}` "
                            "(`python -m models.fetch swin-t` fetches it).",
                            "**وزن‌ها:** مقداردهی تصادفی (بذر {seed}): حافظهٔ نهان Hub وزن‌های `{repo}` را ندارد "
                            "(`python -m models.fetch swin-t` آن‌ها را بارگیری می‌کند)."),
    "swin_where_regular": ("a regular window (W-MSA)", "یک پنجرهٔ معمولی (W-MSA)"),
    "swin_where_shifted": ("a shifted window (SW-MSA)", "یک پنجرهٔ جابه‌جاشده (SW-MSA)"),
    "swin_where_wrapped": ("a shifted window (SW-MSA) that the cyclic shift wraps around the image's edge; the mask "
                           "leaves {masked} of its {keys} keys at a weight of about e^−100",
                           "یک پنجرهٔ جابه‌جاشده (SW-MSA) که جابه‌جایی چرخشی آن را از لبهٔ تصویر به آن سو می‌پیچاند؛ "
                           "ماسک {masked} کلید از {keys} کلیدش را با وزنی در حدود e^−100 کنار می‌گذارد"),
    "swin_window_line": ("At stage {stage}, block {block}, head {head}, the token ({row}, {column}) of the "
                         "{side} × {side} grid attends in {where}: its attention is spread over that window's {keys} "
                         "keys (largest weight {largest:.3f}).",
                         "در مرحلهٔ {stage}، بلوک {block}، سر {head}، توکن ({row}، {column}) از شبکهٔ {side} × {side} "
                         "درون {where} توجه می‌کند: توجهش میان {keys} کلید آن پنجره پخش است (بزرگ‌ترین وزن "
                         "{largest:.3f})."),
    "swin_reach_line": ("The token at patch ({row}, {column}) depends on {counts} input patches after {blocks} "
                        "blocks (lab.reach predicts {predicted}); the ViT's token at the same pixel depends on "
                        "{vit} of its {vit_total} patches after one block. Traced on a fixed noise image, not this "
                        "picture (which patches a token can depend on is set by the architecture), beside a ViT in "
                        "DeiT-S's shape with random weights.",
                        "توکنِ وصلهٔ ({row}، {column}) پس از {blocks} بلوک به {counts} وصلهٔ ورودی وابسته است "
                        "(lab.reach پیش‌بینی می‌کند {predicted})؛ توکن ViT در همان پیکسل پس از یک بلوک به {vit} "
                        "وصله از {vit_total} وصله‌اش وابسته است. ردگیری روی یک تصویر نویز ثابت انجام می‌شود، نه "
                        "این تصویر (اینکه توکن به کدام وصله‌ها می‌تواند وابسته باشد را معماری تعیین می‌کند)، در کنار "
                        "یک ViT به شکل DeiT-S با وزن‌های تصادفی."),
    "findings_figures": ("Figures of FINDINGS.md", "شکل‌های FINDINGS.md"),
    "photo_title": (
        "### Picasso photos\nThe same test on a real photo. Click the photo to mark its parts (the part below is "
        "marked "
        "next; clicking a part again moves its mark); the bundled portraits and the cat come marked. Six pictures are "
        "scored: clean, the homework's scramble (eyes and brows moved, nose and mouth turned in place), everything "
        "moved, everything turned, everything swapped, and everything moved and turned. Each patch is pasted with a "
        "soft edge; the hole it leaves is filled from the skin or fur around it. The ImageNet pairs are also scored "
        "on the clean top-1's group of classes (WordNet: domestic cats, dogs, …), so that a tabby turning into a "
        "tiger cat is not counted as a failure.",
        "### عکس‌های پیکاسویی\nهمان آزمون روی یک عکس واقعی. برای علامت‌گذاری اجزای عکس روی آن کلیک کنید (جزئی که "
        "پایین‌تر برگزیده شده با کلیک بعدی علامت می‌خورد؛ کلیک دوباره برای یک جزء علامتش را جابه‌جا می‌کند)؛ "
        "پرتره‌های همراهِ برنامه و گربه از پیش علامت‌گذاری شده‌اند. شش تصویر امتیاز می‌گیرند: تصویر سالم، درهم‌ریختگی "
        "تمرین (چشم‌ها و ابروها جابه‌جا، بینی و دهان در جای خود چرخیده)، همه جابه‌جا، همه چرخیده، همه با هم "
        "عوض‌شده، و همه جابه‌جا و چرخیده. هر وصله با لبه‌ای نرم چسبانده می‌شود و حفره‌ای که به جا می‌گذارد از پوست "
        "یا موی پیرامونش پر می‌شود. جفت‌های ImageNet روی گروه کلاسِ کلاس برتر تصویر سالم هم امتیاز می‌گیرند "
        "(WordNet: گربه‌های خانگی، سگ‌ها، …) تا تبدیل‌شدن یک گربهٔ راه‌راه به «tiger cat» شکست به حساب نیاید."),
    "photo_marked": ("Photo and its marks (click to mark a part)",
                     "عکس و علامت‌هایش (برای علامت‌گذاری یک جزء کلیک کنید)"),
    "photo_part": ("Part marked by the next click", "جزئی که با کلیک بعدی علامت می‌خورد"),
    "photo_size": ("Patch side in the photo's pixels (0 = automatic: 0.6 × the distance between the eyes)",
                   "ضلع وصله به پیکسل‌های عکس (۰ = خودکار: ۰٫۶ × فاصلهٔ دو چشم)"),
    "photo_clear": ("Clear marks", "پاک کردن علامت‌ها"),
    "photo_seed": ("Scramble seed", "بذر درهم‌ریختگی"),
    "photo_run": ("Score the Picasso photo", "عکس پیکاسویی را امتیاز بده"),
    "photo_plot": ("P(clean top-1), and P(its group) on the ImageNet pairs, CNN and ViT",
                   "P(کلاس برتر تصویر سالم)، و P(گروه آن) روی جفت‌های ImageNet، برای CNN و ViT"),
    "photo_marks": ("Marks (as /picasso_photo takes them)", "علامت‌ها (به همان شکلی که /picasso_photo می‌گیرد)"),
    "part_left eye": ("left eye", "چشم چپ"),
    "part_right eye": ("right eye", "چشم راست"),
    "part_nose": ("nose", "بینی"),
    "part_mouth": ("mouth", "دهان"),
    "part_left brow": ("left brow", "ابروی چپ"),
    "part_right brow": ("right brow", "ابروی راست"),
    "part_left ear": ("left ear", "گوش چپ"),
    "part_right ear": ("right ear", "گوش راست"),
    # What the server writes (text()): the panels' Markdown and messages.
    "latency": ("**CNN** {cnn_ms:.0f} ms · **ViT** {vit_ms:.0f} ms at {precision} (one forward each, with stage "
                "activations or attention maps, plus the backward the class-specific maps need). Maps for: CNN → "
                "*{cnn_class}*, ViT → *{vit_class}*.",
                "**CNN** {cnn_ms:.0f} ms · **ViT** {vit_ms:.0f} ms با دقت عددی {precision} (برای هر کدام یک گذر "
                "پیش‌رو همراه با فعال‌سازی‌های مراحل یا نقشه‌های توجه، به‌علاوهٔ گذر پس‌رویی که نقشه‌های وابسته به "
                "کلاس لازم دارند). نقشه‌ها برای: CNN ← *{cnn_class}*، ViT ← *{vit_class}*."),
    "no_ground_truth": ("**Ground truth:** none for this image. Only the toy world's own pictures (the toy examples) "
                        "come with the masks of their parts, so only they can check whether a map finds the object; "
                        "the faithfulness check below works on any image.",
                        "**حقیقت زمینه:** برای این تصویر در دست نیست. تنها تصویرهای خود جهان اسباب‌بازی (نمونه‌های "
                        "اسباب‌بازی) با ماسک اجزایشان می‌آیند، پس تنها روی آن‌ها می‌توان سنجید که آیا یک نقشه شیء را "
                        "پیدا می‌کند؛ سنجش وفاداری در پایین روی هر تصویری کار می‌کند."),
    "ground_truth": ("**Ground truth:** this is the toy world's *{label}* (seed {seed}); its outline (cyan) is drawn "
                     "from the generator's own masks. The object covers **{area:.0%}** of the crop: a map does better "
                     "than chance when more of its mass than that lies on it.",
                     "**حقیقت زمینه:** این *{label}* جهان اسباب‌بازی است (بذر {seed})؛ طرح دورش (فیروزه‌ای) از "
                     "ماسک‌های خود مولّد کشیده شده است. شیء **{area:.0%}** از برش را می‌پوشاند: نقشه‌ای بهتر از "
                     "تصادف عمل می‌کند که بیش از این مقدار از جرمش روی شیء باشد."),
    "ground_truth_header": ("| map | pointing game (maximum on the object, ±1 px) | map's mass on the object |",
                            "| نقشه | بازی اشاره (بیشینه روی شیء، ±۱ پیکسل) | جرم نقشه روی شیء |"),
    "hit": ("hit", "موفق"),
    "miss": ("miss", "ناموفق"),
    "random_map": ("random", "تصادفی"),
    "mha_table_header": ("| weights | count |", "| وزن‌ها | تعداد |"),
    "mha_one_head": ("(one head)", "(یک سر)"),
    "mha_all_heads": ("all {heads} heads", "همهٔ {heads} سر"),
    "mha_total": ("total", "جمع کل"),
    "mha_note": ("The sequence length does not appear: the same weights serve any number of tokens.",
                 "طول دنباله در این شمارش نمی‌آید: همین وزن‌ها برای هر تعداد توکن به کار می‌روند."),
    "pair_line": ("- **{role}**: {name}; trained on {data}; {parameters:.2f}M parameters; top-1 {top1}; license "
                  "{license}.",
                  "- **{role}**: {name}؛ آموزش‌دیده روی {data}؛ {parameters:.2f} میلیون پارامتر؛ دقت top-1: {top1}؛ "
                  "مجوز {license}."),
    "still_serving": ("{error} Still serving {current}.", "{error} همچنان {current} در حال سرویس‌دهی است."),
    "claims_heading": ("**The homework's claims tested here**", "**ادعاهای تمرین که اینجا آزموده می‌شوند**"),
    "claims_source": ("Verdicts of the findings report, measured on the **{pair}** pair. With an ImageNet pair "
                      "selected, they still come from the toy world, not from the models shown.",
                      "حکم‌ها از گزارش یافته‌ها هستند و روی جفت **{pair}** اندازه‌گیری شده‌اند. اگر جفتی از "
                      "ImageNet انتخاب شده باشد، این حکم‌ها همچنان از دنیای اسباب‌بازی می‌آیند، نه از مدل‌هایی که "
                      "اینجا می‌بینید."),
    "claims_picasso_toy": ("The toy Picasso faces are evidence about the toy pair only; for an ImageNet pair, the "
                           "Picasso photo panel below is the test.",
                           "چهره‌های پیکاسوی اسباب‌بازی فقط دربارهٔ جفت toy گواهی می‌دهند؛ برای جفت‌های ImageNet، "
                           "آزمون همان بخش عکس پیکاسو در پایین است."),
    "claim_line": ("- **{id}** — {claim} *({where}: **{verdict}**{mechanism}; Findings tab, section {id})*",
                   "- **{id}** — {claim} *({where}: **{verdict}**{mechanism}؛ زبانهٔ یافته‌ها، بخش {id})*"),
    "claim_mechanism": ("; where the task demands arrangement: **{verdict}**",
                        "؛ وقتی مسئله به چیدمان وابسته است: **{verdict}**"),
    "claim_unstable": ("{verdict} (unstable across training runs)", "{verdict} (ناپایدار میان دفعات آموزش)"),
    "setting_measured": ("measured", "نتیجهٔ اندازه‌گیری"),
    "setting_pair": ("measured on the {pair} pair", "اندازه‌گیری‌شده روی جفت {pair}"),
    "setting_homework": ("measured in the homework's setting, the {pair} pair, {runs} training runs",
                         "اندازه‌گیری‌شده در شرایط تمرین، روی جفت {pair}، با {runs} بار آموزش"),
    "setting_theory": ("computed from the formulas, no model", "محاسبه‌شده از روی فرمول‌ها، بدون مدل"),
    "setting_not measured": ("not measurable here", "اینجا اندازه‌پذیر نیست"),
    "setting_residual": ("measured on the seed's ViT with and without residuals, {runs} training runs",
                         "اندازه‌گیری‌شده روی ViT تمرین با و بدون اتصال باقیمانده، با {runs} بار آموزش"),
    "setting_fine-tuning": ("measured on the arrangement experiment's fine-tuning run",
                            "اندازه‌گیری‌شده روی اجرای تنظیم دقیق آزمایش چیدمان"),
    "setting_other pair": ("not graded on the {pair} pair", "روی جفت {pair} درجه‌بندی نشده"),
    "setting_architecture": ("measured on the architectures with random weights",
                             "اندازه‌گیری‌شده روی خودِ معماری‌ها با وزن‌های تصادفی"),
    "claim_unmeasured": ("- **{id}** — {claim} *(not measured yet: run `python -m findings.report`)*",
                         "- **{id}** — {claim} *(هنوز اندازه‌گیری نشده: `python -m findings.report` را اجرا کنید)*"),
    "verdict_holds": ("holds", "برقرار است"),
    "verdict_partly": ("partly", "تا حدی برقرار است"),
    "verdict_does not hold": ("does not hold", "برقرار نیست"),
    "verdict_not testable here": ("not testable here", "اینجا آزمودنی نیست"),
}
"""key: (English, Persian). Keys used by the server hold `{name}` fields that text() fills in."""

DESCRIPTIONS_FA = {
    "pair_toy": "همراهِ برنامه، بی‌نیاز از اینترنت: یک ResNet کوچک از timm و ViT تمرین، هر دو همین‌جا از صفر "
                "روی جهان اسباب‌بازی رویه‌ای آموزش دیده‌اند (۱۰ کلاس ساخته‌شده از اجزا، ۶۴×۶۴).",
    "pair_toy-arrangement": "همراهِ برنامه، بی‌نیاز از اینترنت: همان معماری‌های جفت اسباب‌بازی، از صفر روی "
                            "مسئلهٔ چیدمان آموزش‌دیده (ده کلاس اسباب‌بازی به‌علاوهٔ «چهرهٔ درهم»: چهره‌ای که اجزایش "
                            "سر جایشان نیستند)، `python -m lab.arrangement`.",
    "pair_resnet50-vs-deit-small": "جفت منصفانه: ResNet-50 در برابر DeiT-Small، هر دو تنها روی ImageNet-1k آموزش "
                                   "دیده‌اند، با اندازهٔ نزدیک (۲۵٫۶ میلیون در برابر ۲۲ میلیون پارامتر) و دقت نزدیک "
                                   "(۸۰٫۴٪ در برابر ۷۹٫۹٪).",
    "pair_resnet50-vs-vit-base": "هم‌ارز نیستند: ResNet-50 (تنها ImageNet-1k) در برابر ViT-Base/16 که روی "
                                 "ImageNet-21k پیش‌آموزش دیده و سپس روی 1k تنظیم دقیق شده (۸۵٫۱٪)، با ۳٫۴ برابر "
                                 "پارامتر و حدود ۱۱ برابر تصویر آموزشی بیشتر.",
    "sweep_rotate": "برش را در گام‌های ۱۵ درجه‌ای گرد مرکزش می‌چرخانیم. کانولوشن وزن‌ها را میان مکان‌ها مشترک "
                    "می‌کند، نه میان جهت‌ها؛ پس هیچ‌کدام از دو مدل برای ناوردایی در برابر چرخش ساخته نشده است.",
    "sweep_translate": "برش را تا نیمی از پهنایش به چپ یا راست می‌بریم. کانولوشن هم‌وردا با جابه‌جایی است و تجمیع "
                       "سراسری CNN را تقریباً ناوردا می‌کند؛ ViT می‌بیند که محتوا به وصله‌ها و تعبیه‌های مکانی "
                       "دیگری رفته است.",
    "sweep_shuffle": "برش را به n × n تکه می‌بریم و تکه‌ها را بُر می‌زنیم (میانگین ۴ ترتیب تصادفی؛ هیچ تکه‌ای "
                     "کوچک‌تر از یک وصلهٔ ViT نیست)، مانند Naseer و همکاران ۲۰۲۱، «Intriguing Properties of Vision "
                     "Transformers». اجزا می‌مانند، چیدمانشان نه.",
    "sweep_drop": "کسری تصادفی از وصله‌های ViT را خاکستری می‌کنیم (میانگین ۴ قرعهٔ تصادفی؛ با بزرگ‌شدن کسر، "
                  "وصله‌هایی که پیش‌تر حذف شده‌اند حذف‌شده می‌مانند)، مانند Naseer و همکاران ۲۰۲۱.",
}
"""The Persian of text the computing packages hold in English (pairs' and sweeps' descriptions), by key."""

PREFIX = "cnn_vit."
"""Before each key in gr.I18n: Gradio's own translations use short names (e.g. "image") that ours must not shadow."""
_en = {PREFIX + key: english for key, (english, _) in STRINGS.items()}
_fa = {PREFIX + key: persian for key, (_, persian) in STRINGS.items()}
I18N = gr.I18n(en=_en, fa=_fa)
"""Passed to launch(i18n=...); the page's keys, including those made at build time by `translation`."""


def t(key: str) -> I18nData:
    """The key as gr.I18n hands it to a component; refuses keys with no translation."""
    if key not in STRINGS:
        raise KeyError(f"no translation for {key!r} in ui.strings.STRINGS")
    return I18N(PREFIX + key)


def translation(key: str, english: str, persian: str) -> I18nData:
    """A key made at build time (text built from the code's own data, e.g. the claims with their verdicts)."""
    STRINGS[key] = (english, persian)
    _en[PREFIX + key], _fa[PREFIX + key] = english, persian
    return I18N(PREFIX + key)


def language() -> str:
    """"fa" when the request being answered prefers Persian (its Accept-Language's first language), else "en"."""
    request = LocalContext.request.get(None)
    accepted = (request.headers.get("accept-language", "") if request is not None else "") or ""
    first = accepted.split(",")[0].split(";")[0].strip().lower()
    return "fa" if first.split("-")[0] == "fa" else "en"


def text(key: str, lang: str | None = None, **fields) -> str:
    """The server's text for `key` in `lang` (default: the request's language), its fields filled in (numbers in
    Persian digits in Persian)."""
    english, persian = STRINGS[key]
    lang = lang or language()
    return fill(persian if lang == "fa" else english, lang, **fields)


def number(value: float, spec: str = "", lang: str | None = None) -> str:
    """A number written by the format `spec` in `lang` (default: the request's language): Persian digits in Persian."""
    return fill("{value:" + spec + "}", lang or language(), value=value)


def described(key: str, english: str, lang: str | None = None) -> str:
    """A description the computing packages hold in English, in Persian when asked and known."""
    return DESCRIPTIONS_FA.get(key, english) if (lang or language()) == "fa" else english


def translated(message: Message | Exception | str, lang: str | None = None) -> str:
    """A message from anywhere in the code in the request's language, by its key (runtime.messages); an error or
    text without one (a bundled file missing: for whoever runs the app) as it is, in English."""
    if isinstance(message, MessageError):
        message = message.message
    if isinstance(message, Message):
        return message.text(lang or language())
    return str(message)
