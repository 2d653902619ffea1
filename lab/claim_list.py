"""The homework's claims, as this project reads the seed (../shared/seed/): one record per claim for the report and
the app.

Each record holds the homework's claim, paraphrased in English and in Persian (for the homework's readers), where it
stands in the homework, what is measured, the rule that turns the measurement into a verdict (written here once, from
the constants lab.verdicts grades with; FINDINGS.md and the app quote it from here) and the verdict function itself.
Ids follow the homework's order; claims added after the first fourteen carry a letter after the claim they follow
(C2b follows C2).
"""
from collections.abc import Callable
from dataclasses import dataclass

from lab import swin
from lab.verdicts import (CLEARLY_FEWER, CONTENT_VARIATION, GATED_ON, GLOBAL, GLOBAL_MODEL, HOMEWORK_GATE,
                          INVARIANT, LINEAR_BAND, LOCAL, MECHANISM_GATE, MOST, NOT_FACE, NOT_FACE_PARTLY, NOT_INVARIANT,
                          QUADRATIC_BAND, STILL_FACE, STILL_FACE_PARTLY, UNSTABLE, VERDICTS, WINDOWED_MODEL, Result,
                          c1_fewer_parameters, c2_learns_where_to_look, c2b_channel_and_space, c3_local_vs_global,
                          c4_interpretability, c5_rotation, c6_translation, c7_moved_parts, c8_homework_face_cnn,
                          c9_homework_face_vit, c10_mha_count, c10b_why_shifted_windows, c11_attention_cost,
                          c12_window_reach, c12b_swin_is_effective, c12c_residual, c13_underfit, c14_right_parts)

__all__ = ["CLAIMS", "Claim", "VERDICTS", "claim"]


@dataclass(frozen=True)
class Claim:
    """One claim of the homework: what it says (English, Persian), where, how it is measured, how it is judged."""
    id: str
    title: str  # the claim in one short line, for headings and tables
    english: str
    persian: str
    where: str
    measurement: str
    rule: str
    grade: Callable[..., Result]  # lab.verdicts' function for the rule
    mechanism: str = ""  # C7–C9: the rule of the line graded where the task demands arrangement


HOMEWORK_SETTING = (f"Graded in the homework's setting, the toy pair: a recogniser trained on the ten toy classes "
                    "that never saw a jumbled face. Graded only when every model read learned its task: held-out "
                    f"test accuracy at least {HOMEWORK_GATE:.0%}, gated on {GATED_ON}; else not testable here. Every "
                    "trained toy pair is graded (the bundled one and the other training runs measured with it); the "
                    "pooled figure is the runs' mean, its interval widened by the spread between runs "
                    "(lab.statistics.pooled_over_runs); when the runs grade the claim differently the verdict is "
                    f"partly ({UNSTABLE}).")
"""Quoted by C5–C9's rules."""
MECHANISM_SETTING = ("When the task demands arrangement: the arrangement experiment (findings/arrangement.json, "
                     "`jumbled face` a class of its own), its figures pooled over its training runs, graded only when "
                     f"every model read reaches {MECHANISM_GATE:.0%} on face vs jumbled face (the point estimate); "
                     f"else not testable here; partly ({UNSTABLE}) when its runs disagree.")
"""Quoted by C7–C9's mechanism lines."""

CLAIMS: tuple[Claim, ...] = (
    Claim(
        "C1",
        "Shared filters: a CNN needs fewer parameters than attention",
        "A convolution applies one filter whose weights are shared by every region of the image; therefore a CNN "
        "needs fewer parameters than an attention-based network.",
        "شبکه‌ی کانولوشنی یک فیلتر را روی همه‌ی تصویر می‌لغزاند و وزن‌های آن میان همه‌ی نواحی مشترک است؛ "
        "به همین سبب، نسبت به شبکه‌ی مبتنی بر توجه، پارامترهای کمتری لازم دارد.",
        "Part 1(a), paragraph 1, sentences 1–2",
        "The pair's parameter counts (a pair built for the same task at similar accuracy); and, at the same width "
        "C, the weights of a 3×3 convolution (9C²) against those of an attention layer (4C²), both shared by "
        "every position.",
        f"Holds when the CNN has clearly fewer parameters (ViT/CNN ≥ {CLEARLY_FEWER}) and a convolution layer has "
        "fewer weights than an attention layer of the same width (the reason given); partly when the CNN has fewer "
        "but only slightly or not for that reason; does not hold when it has as many or more.",
        c1_fewer_parameters),
    Claim(
        "C2",
        "A CNN treats every region alike; attention learns where to look",
        "A CNN treats every region of the image alike, whatever it contains, though there may be no need to: some "
        "regions (the margins, say) may carry no particular information; an attention-based network learns which "
        "parts deserve more attention.",
        "شبکه‌ی کانولوشنی با همه‌ی نواحی تصویر، صرف‌نظر از محتوایشان، یکسان رفتار می‌کند، حال آنکه شاید نیازی "
        "به این کار نباشد: ممکن است برخی نواحی (مثلاً حاشیه‌ی تصویر) اطلاعات خاصی در بر نداشته باشند؛ شبکه‌ی "
        "مبتنی بر توجه یاد می‌گیرد به کدام بخش‌ها بیشتر توجه کند.",
        "Part 1(a), paragraph 1, sentences 3–5",
        "On held-out toy images, the share of the ViT's class-token attention (last layer and rollout) on the object "
        "and on the outer border band, each against its share of the area, the same shares for the CNN's Grad-CAM "
        "on the same grid as the ViT's (the stage whose grid is the ViT's patch grid; the last stage's, coarser, "
        "shown beside it), and how much the ViT's attention to a fixed patch position varies across images.",
        "Holds when the ViT's attention is clearly on the object beyond its area, clearly off the border band and "
        f"content-dependent (variation ≥ {CONTENT_VARIATION}), while the CNN's Grad-CAM on the same grid is not that "
        "selective; "
        "partly when the ViT's attention is on the object but the rest fails (including a CNN whose evidence is as "
        "selective); does not hold when the ViT's attention is not clearly on the object.",
        c2_learns_where_to_look),
    Claim(
        "C2b",
        "A CNN's filter runs over height and width; some attention methods work over channels and space",
        "A CNN's filter is applied to the image over its height and width, whereas some attention-based methods "
        "work over channels and over space (spatial attention).",
        "فیلتر شبکه‌ی کانولوشنی در بُعد طول و عرض بر تصویر اعمال می‌شود، در حالی که در برخی روش‌های مبتنی بر "
        "توجه، توجه در بُعد کانال‌ها و در بُعد مکان (spatial) اعمال می‌شود.",
        "Part 1(a), paragraph 1, last sentence",
        "Nothing to measure on the pairs here: whether either model has channel attention, and what its attention "
        "runs over.",
        "Not testable here, with the reason: the convolution's half is a definition, and no model here has channel "
        "attention.",
        c2b_channel_and_space),
    Claim(
        "C3",
        "A CNN looks locally; attention looks globally",
        "A CNN looks at the image locally; in attention every pixel is related to every other, a global view "
        "(almost like a fully-connected layer).",
        "شبکه‌ی کانولوشنی تصویر را به‌صورت محلی می‌بیند، اما در سازوکار توجه هر پیکسل با همه‌ی پیکسل‌های دیگر "
        "در ارتباط است و نگاهی سراسری دارد، کمابیش مانند یک لایه‌ی تمام‌متصل.",
        "Part 1(a), paragraph 2",
        "The same distance for both models at every depth: the mean distance, as a fraction of the image side, over "
        "which the input influences a location (the effective receptive field), with 95% intervals over images.",
        f"Holds when the CNN's first depth looks locally (< {LOCAL:.0%} of the side) and widens clearly with depth "
        f"while the ViT's first depth already looks globally (≥ {GLOBAL:.0%}); partly when the ViT's first depth "
        "only looks clearly farther than the CNN's; does not hold otherwise.",
        c3_local_vs_global),
    Claim(
        "C4",
        "A CNN is easier to interpret and debug than attention",
        "A CNN is easier to interpret and debug, since its learned filters and its layers' outputs can be drawn; "
        "the weights of an attention network say little, though its attention map does show which parts it "
        "attended to.",
        "شبکه‌ی کانولوشنی تفسیرپذیرتر است و اشکال‌یابی‌اش آسان‌تر، چون می‌توان فیلترهای آموخته‌شده و خروجی "
        "لایه‌هایش را رسم کرد؛ وزن‌های شبکه‌ی مبتنی بر توجه چندان گویا نیستند، هرچند نقشه‌ی توجه نشان می‌دهد "
        "شبکه به کدام بخش‌ها بیشتر توجه کرده است.",
        "Part 1(a), paragraph 3",
        "Read as: can the learned filters be drawn and read? The first layer of each model, as a picture and as a "
        "number: the CNN's first convolution and the ViT's patch embedding (a convolution too, the one set of its "
        "weights on the image grid), each filter's correlation between adjacent weights against the same weights "
        "shuffled into random places, with 95% intervals over filters. Layer outputs and attention maps are drawn in "
        "the Inside tab; how well the maps find the object, on the same grid for both, is under 'Also measured'.",
        "A bank is structured when the low end of its interval is above the high end of its shuffled interval. Holds "
        "when the CNN's filters are structured and the ViT's are not; partly when both are but the CNN's are clearly "
        "smoother (its interval's low end above the ViT's high end); does not hold when the CNN's filters are not "
        "structured, or the ViT's are as structured as the CNN's.",
        c4_interpretability),
    Claim(
        "C5",
        "A CNN is not rotation-invariant",
        "A CNN is not invariant to rotation.",
        "شبکه‌ی کانولوشنی نسبت به چرخش ناوردا نیست.",
        "Part 1(b), paragraph 1, sentence 1",
        "Held-out images rotated in 15° steps (15°–345°): the share whose top-1 label stays the one predicted on "
        "the upright image, for the CNN (the ViT's for comparison).",
        f"Holds when the CNN's share is clearly below {NOT_INVARIANT:.0%} (the interval's high end); does not hold "
        f"when it is at least {INVARIANT:.0%} (the low end); partly in between." + " " + HOMEWORK_SETTING,
        c5_rotation),
    Claim(
        "C6",
        "A CNN is translation-invariant",
        "A CNN is invariant to translation.",
        "شبکه‌ی کانولوشنی نسبت به جابه‌جایی (انتقال) ناورداست.",
        "Part 1(b), paragraph 1, sentence 1",
        "Held-out images shifted by up to 20% of their side: the share whose top-1 label stays the one predicted on "
        "the unshifted image, for the CNN (the ViT's for comparison).",
        f"Holds when the CNN's share is at least {INVARIANT:.0%} (the interval's low end); does not hold when it is "
        f"clearly below {NOT_INVARIANT:.0%} (the high end); partly in between." + " " + HOMEWORK_SETTING,
        c6_translation),
    Claim(
        "C7",
        "Pooling loses the arrangement, so moved parts alone would not stop a CNN seeing a face (implied)",
        "A pooling layer throws away the relations between the parts of the image; implied, not stated: so parts in "
        "the wrong places alone would not stop a CNN from calling the picture a face.",
        "لایه‌ی تجمیع (pooling) اطلاعاتِ رابطه‌ی میان بخش‌های تصویر را از بین می‌برد؛ و (این بخش در تمرین گفته "
        "نشده و از آن برمی‌آید) پس صرفِ جابه‌جا بودن اجزا مانع نمی‌شود که شبکه‌ی کانولوشنی تصویر را چهره تشخیص "
        "دهد.",
        "Part 1(b), paragraph 1: sentence 1 states the pooling clause; the consequence is implied by sentence 2's "
        "'but' (the eyes and brows are there, in the wrong places, but lips and nose are rotated), not stated",
        "Held-out toy faces with their parts moved but not rotated (Picasso faces): the share the toy CNN still "
        "calls a face, on every trained toy pair. Mechanism line: the same on the arrangement task, for its CNN with "
        "global pooling against the same CNN without it.",
        f"Holds when the CNN calls at least {STILL_FACE:.0%} of them a face, partly from {STILL_FACE_PARTLY:.0%}, "
        "else does not hold. " + HOMEWORK_SETTING,
        c7_moved_parts,
        f"{MECHANISM_SETTING} The CNN with global pooling (cnn_pooled) is graded by the same thresholds on its moved "
        "faces; a holding verdict drops to partly when the CNN without pooling (cnn_flattened) does not call clearly "
        "fewer of them a face (then pooling is not what loses the arrangement)."),
    Claim(
        "C8",
        "The CNN will not call the homework's picture a face (rotated lips and nose)",
        "In the homework's picture the eyes and brows are out of place and the lips and nose are rotated; because "
        "of the rotated parts, the CNN will not label it a face.",
        "در تصویر تمرین، چشم‌ها و ابروها سر جای خود نیستند و لب و بینی چرخیده‌اند؛ به‌خاطر همین اجزای "
        "چرخیده، شبکه‌ی کانولوشنی به آن برچسب «چهره» نمی‌زند.",
        "Part 1(b), paragraph 1, last sentence",
        "Held-out toy faces scrambled as the homework's picture (eyes and brows moved, lips and nose rotated): the "
        "share the toy CNN calls a face, on every trained toy pair; and a rotated-only variant (lips and nose "
        "rotated, nothing moved) that isolates the reason the homework gives. Mechanism line: the same variants on "
        "the arrangement task, for its CNN with global pooling.",
        f"Holds when the CNN calls at most {NOT_FACE:.0%} of the homework's faces a face, partly at most "
        f"{NOT_FACE_PARTLY:.0%}, else does not hold (a CNN that calls 98% of them a face contradicts the claim); a "
        f"holding verdict drops to partly when the rotated-only faces are still called faces (over "
        f"{NOT_FACE_PARTLY:.0%}). " + HOMEWORK_SETTING,
        c8_homework_face_cnn,
        f"{MECHANISM_SETTING} The CNN with global pooling (cnn_pooled) is graded by the same rule on the experiment's "
        "variants (b) homework and (a) rotated only."),
    Claim(
        "C9",
        "The attention network will not call that picture a face either",
        "The attention-based network will not label that picture a face either: by adding positional embeddings it "
        "tries to learn how the parts relate as well. (The homework's sentence breaks off at \"if positional "
        "[embeddings are not used]…\".)",
        "شبکه‌ی مبتنی بر توجه هم به این تصویر برچسب «چهره» نمی‌زند، چون با افزودن تعبیه‌های مکانی "
        "(positional embedding) سعی می‌کند رابطه‌ی میان بخش‌ها را هم یاد بگیرد. (جمله‌ی تمرین در «اگر از "
        "positional …» ناتمام مانده است.)",
        "Part 1(b), paragraph 2",
        "The same scrambled faces and rotated-only variant, for the toy ViT (learned position embeddings), on every "
        "trained toy pair. Mechanism line: the arrangement task's ViT with learned position embeddings against the "
        "same ViT trained without them (and, where trained, with fixed sine-cosine ones).",
        f"Holds when the ViT calls at most {NOT_FACE:.0%} of the homework's faces a face, partly at most "
        f"{NOT_FACE_PARTLY:.0%}, else does not hold. " + HOMEWORK_SETTING,
        c9_homework_face_vit,
        f"{MECHANISM_SETTING} The ViT with position embeddings (vit_position) is graded by the same thresholds on "
        "the experiment's (b) homework faces; a holding verdict drops to partly when the ViT without them "
        "(vit_no_position) does not call clearly more of them a face (then position embeddings are not the "
        "reason)."),
    Claim(
        "C10",
        "Question 3's multi-head attention has 33,000 weights (the total reconstructed)",
        "The multi-head attention of question 3 (3 heads; queries, keys and values of 20, 10 and 30 features; each "
        "head projects each of them to 100; W_o maps to 50) has 18,000 weights in its heads and 15,000 in W_o, "
        "33,000 in all. The homework's working is a garbled line: 18 000 and 1 5000 are legible, the total is not; "
        "33,000 is our reconstruction.",
        "توجه چندسرِ پرسش ۳ (سه سر؛ پرس‌وجو، کلید و مقدار با ۲۰، ۱۰ و ۳۰ ویژگی؛ هر سر هر یک را به ۱۰۰ بُعد "
        "می‌برد و W_o به ۵۰ بُعد) ۱۸٬۰۰۰ وزن در سرها و ۱۵٬۰۰۰ وزن در W_o دارد، روی هم ۳۳٬۰۰۰. محاسبه‌ی تمرین "
        "در سطری ناخوانا آمده است: ۱۸٬۰۰۰ و ۱۵٬۰۰۰ خوانا هستند و جمع کل نه؛ ۳۳٬۰۰۰ بازسازی ماست.",
        "Part 3, the handwritten working (a garbled line)",
        "The count worked out by lab.theory.mha_parameters for these sizes, without biases.",
        "Holds when the count equals the reconstructed 33,000 (the legible 18,000 + 15,000); otherwise does not hold.",
        c10_mha_count),
    Claim(
        "C10b",
        "Large variation in the scale of visual entities and high resolution are why shifted windows were introduced",
        "Transformers were introduced for language; in vision they meet large variations in visual entities (in "
        "their scale, as Swin's paper puts it) and a high resolution of pixels compared with words in text, and "
        "shifted windows were introduced to solve these problems.",
        "چالش‌های به‌کارگیری ترنسفورمرها (که نخست برای زبان معرفی شدند) در بینایی از تفاوت این دو حوزه می‌آید، "
        "مثلاً تغییرات بزرگ در موجودیت‌های بصری و وضوح بالای پیکسل‌ها در تصویر در مقایسه با کلمات در متن؛ "
        "برای حل این مشکلات، سازوکار پنجره‌های جابه‌جاشده (shifted windows) معرفی شده است.",
        "Part 4(a)",
        "Nothing measured: it states why a method was designed; C11 measures how attention's cost grows with the "
        "number of patches.",
        "Not testable here, with the reason: it needs tasks with objects at many scales and high-resolution images, "
        "and Swin models with and without shifted windows.",
        c10b_why_shifted_windows),
    Claim(
        "C11",
        "Global MSA costs grow quadratically with the tokens, W-MSA linearly",
        "Global self-attention costs Ω(MSA) = 4hwC² + 2(hw)²C, quadratic in the number of tokens; windowed "
        "attention costs Ω(W-MSA) = 4hwC² + 2M²hwC, linear when the window M is fixed.",
        "هزینه‌ی توجه سراسری Ω(MSA) = 4hwC² + 2(hw)²C است که با تعداد توکن‌ها از درجه‌ی دو رشد می‌کند؛ هزینه‌ی "
        "توجه پنجره‌ای Ω(W-MSA) = 4hwC² + 2M²hwC است که برای اندازه‌ی پنجره‌ی ثابت M خطی است.",
        "Part 4(b), the two formulas and the sentence after them",
        f"Measured on models, FLOPs counted (torch's FlopCounterMode over a real forward of one image) at four image "
        f"sizes spanning 4× of side: the seed's ViT in DeiT-S's shape ({GLOBAL_MODEL}, global MSA, position "
        f"embedding interpolated), timm's Swin-T ({WINDOWED_MODEL}, W-MSA with 7 × 7 windows) and ResNet-50 for "
        "reference, random weights (a cost does not depend on the weights). Each model's growth exponent in tokens "
        "is fitted by least squares on log-log with a 95% t interval (the counts are exact, so the interval says how "
        "far they are from one power law): all its FLOPs, its attention layers', and their token mixing (QKᵀ and AV, "
        "the term 2(hw)²C or 2M²hwC of Ω), beside Ω's own exponent over the same tokens (the prediction). Wall time "
        "per image (median of alternated repeats) is reported, not graded.",
        f"Holds when {GLOBAL_MODEL}'s token mixing grows quadratically (its exponent's 95% interval inside "
        f"{QUADRATIC_BAND[0]}–{QUADRATIC_BAND[1]}) and {WINDOWED_MODEL}'s attention layers grow linearly, mixing and "
        f"all (inside {LINEAR_BAND[0]}–{LINEAR_BAND[1]}); partly when only one model grows as claimed; does not hold "
        "when neither does. Global attention is read on its mixing because that is Ω(MSA)'s quadratic term; its whole "
        "layers, whose 4hwC² projections outweigh the mixing below hw = 2C tokens, are reported beside it.",
        c11_attention_cost),
    Claim(
        "C12",
        "W-MSA windows do not communicate; shifted windows connect them",
        "With W-MSA alone no information passes between windows, which limits the model's power; shifted windows "
        "(SW-MSA) connect neighbours that did not share a window in the previous layer.",
        "در W-MSA میان پنجره‌ها هیچ ارتباطی برقرار نیست و همین توان مدل را محدود می‌کند؛ پنجره‌های جابه‌جاشده "
        "(SW-MSA) همسایه‌هایی را که در لایه‌ی قبل در یک پنجره نبودند به هم مرتبط می‌کنند.",
        "Part 4(c), sentence 1 and the first half of sentence 2",
        f"Traced through timm's Swin-T (random weights, float64) at 224 px: for every token of stage 1's "
        f"{swin.SIDE}×{swin.SIDE} grid, which input patches it depends on after the W-MSA block (block 1) and after "
        "the SW-MSA block (block 2), from the gradient of the token with respect to the patch-embedded input "
        "(reachable: a gradient norm above 1e-20 of the largest); beside it lab.reach's idealised count, the "
        "prediction. One token is also traced across patch merging into stage 2 (blocks 3 and 4) beside the ViT's "
        "reach after one block.",
        "Holds when after the W-MSA block no traced token reaches outside its window and after the SW-MSA block some "
        "do; partly when only one of the two is true; does not hold when neither is.",
        c12_window_reach),
    Claim(
        "C12b",
        "Shifted windows make Swin effective for classification, detection and segmentation",
        "The SW-MSA module is effective in image classification, object detection and semantic segmentation.",
        "ماژول SW-MSA در وظیفه‌های دسته‌بندی تصویر، تشخیص شیء و قطعه‌بندی معنایی مؤثر واقع می‌شود.",
        "Part 4(c), the end of sentence 2",
        "Not measured here; the Swin paper's own numbers are quoted as the paper's.",
        "Not testable here, with the reason (no ImageNet validation set, detection or segmentation data, or Swin "
        "trained without shifting here); the paper's "
        "numbers are quoted, not graded.",
        c12b_swin_is_effective),
    Claim(
        "C12c",
        "The block adds its input back so that earlier values are not forgotten (residual connection)",
        "In the encoder block the input is added back to the multi-head attention's output (the add layer, a "
        "residual connection) so that the values of earlier layers are not forgotten.",
        "در بلوک رمزگذار، ورودی اولیه با خروجی توجه چندسر جمع می‌شود (لایه‌ی add، اتصال باقیمانده) تا مقادیر "
        "لایه‌های قبل فراموش نشود.",
        "The experiment, the modeling paragraph before the encoder block's code",
        "The seed's ViT trained on the toy world with and without its residual connections, same recipe, several "
        "seeds (findings/residual.json): the held-out test accuracy of each, per run and pooled over the runs.",
        f"Holds when, pooled over the training runs, the ViT with its residual connections is clearly more accurate "
        "than without them (intervals apart); partly when more accurate but within the intervals; does not hold "
        f"otherwise; partly ({UNSTABLE}) when the runs grade it differently. Graded only when the ViT with "
        f"residuals learned the task (held-out test accuracy at least {HOMEWORK_GATE:.0%}, the point estimate); "
        "not testable here until the runs exist.",
        c12c_residual),
    Claim(
        "C13",
        "After 5 epochs (74%) the ViT is underfit; more epochs would improve it",
        "Started from pretrained weights and trained for 5 epochs, the ViT reaches 74% accuracy: it is underfit, "
        "and training for more epochs would improve it.",
        "مدلی که از وزن‌های ازپیش‌آموخته شروع شده و ۵ ایپاک آموزش دیده به دقت ۷۴٪ می‌رسد؛ مدل کم‌برازش "
        "(underfit) است و با آموزش در ایپاک‌های بیشتر بهتر می‌شود.",
        "The experiment, the paragraph after the ViT code",
        "The homework's protocol on our data (the arrangement experiment's fine-tuning runs, every seed at the learning "
        "rate its rule chose): the least-squares slope of validation accuracy per epoch from epoch 5 on, with its 95% "
        "interval, and whether training accuracy was still rising.",
        "Holds when on every run the slope's interval lies above zero and training accuracy was still rising "
        "(underfit, not overfit); does not hold when on no run the slope's interval lies above zero; partly (unstable "
        "across training runs) otherwise; not testable here until the runs exist.",
        c13_underfit),
    Claim(
        "C14",
        "The bird is misclassified, yet the model attends to the right parts",
        "Although the model's prediction for the bird is wrong, it attends to the right parts of the image; "
        "with more training it would probably predict the right label.",
        "با اینکه پیش‌بینی مدل برای تصویر پرنده نادرست است، مدل به بخش‌های درستی از تصویر توجه کرده است و "
        "اگر آموزش ادامه یابد، احتمالاً برچسب درست را پیش‌بینی خواهد کرد.",
        "The experiment, the last paragraph",
        "In the same runs, the validation images misclassified after the first epoch against those classified "
        "correctly: the share of the ViT's Chefer map (for its prediction) on the object beyond the object's share of "
        "the area, how many of the wrong ones the final model gets right against how many right ones it gets wrong "
        "(the churn baseline), and both class by class.",
        "Holds when on every run the misclassified images' map mass on the object clearly exceeds the object's area "
        f"(the interval's low end above zero) and clearly most of them (the low end above {MOST:.0%}) are right at "
        "the end, clearly more often than right images turn wrong; does not hold when on no run their maps are "
        "clearly on the object; partly (unstable across training runs, or one half only) otherwise; not testable "
        "here until the runs exist.",
        c14_right_parts),
)
"""The homework's claims in its order."""

_BY_ID = {c.id: c for c in CLAIMS}


def claim(id: str) -> Claim:
    """The claim with this id."""
    try:
        return _BY_ID[id]
    except KeyError:
        raise KeyError(f"no claim {id!r}; the claims are {', '.join(_BY_ID)}") from None
