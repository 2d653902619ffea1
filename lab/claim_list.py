"""The homework's claims C1–C14, as this project reads the seed (../shared/seed/): one list for the report and the app.

Each claim is the homework's own, paraphrased in English and in Persian (for the homework's readers), with where it
stands in the homework, what is measured and the rule that turns the measurement into a verdict (lab.verdicts holds
the rules as code, with the thresholds quoted here).
"""
from dataclasses import dataclass

from lab import swin
from lab.verdicts import (CLEARLY_FEWER, CONTENT_VARIATION, GLOBAL, INVARIANT, LINEAR, LOCAL,
                          MOST, NOT_FACE, NOT_FACE_PARTLY, NOT_INVARIANT, QUADRATIC, STILL_FACE, STILL_FACE_PARTLY,
                          SUPERLINEAR, VERDICTS)

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
        "but only slightly or not for that reason; does not hold when it has as many or more."),
    Claim(
        "C2",
        "A CNN treats every region alike; attention learns where to look",
        "A CNN treats every region of the image alike, whatever it contains, although some regions (the margins, "
        "say) carry no information; an attention-based network learns which parts deserve more attention.",
        "شبکه‌ی کانولوشنی با همه‌ی نواحی تصویر، صرف‌نظر از محتوایشان، یکسان رفتار می‌کند، در حالی که برخی "
        "نواحی (مثلاً حاشیه‌ی تصویر) اطلاعاتی در خود ندارند؛ شبکه‌ی مبتنی بر توجه یاد می‌گیرد به کدام بخش‌ها "
        "بیشتر توجه کند.",
        "Part 1(a), paragraph 1, sentences 3–5",
        "On held-out toy images, the share of the ViT's class-token attention (last layer and rollout) on the object "
        "and on the outer border band, each against its share of the area, the same shares for the CNN's Grad-CAM "
        "on the same grid as the ViT's (the stage whose grid is the ViT's patch grid; the last stage's, coarser, "
        "shown beside it), and how much the ViT's attention to a fixed patch position varies across images.",
        "Holds when the ViT's attention is clearly on the object beyond its area, clearly off the border band and "
        f"content-dependent (variation ≥ {CONTENT_VARIATION}), while the CNN's Grad-CAM on the same grid is not that "
        "selective; "
        "partly when the ViT's attention is on the object but the rest fails (including a CNN whose evidence is as "
        "selective); does not hold when the ViT's attention is not clearly on the object."),
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
        "only looks clearly farther than the CNN's; does not hold otherwise."),
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
        "structured, or the ViT's are as structured as the CNN's."),
    Claim(
        "C5",
        "A CNN is not rotation-invariant",
        "A CNN is not invariant to rotation.",
        "شبکه‌ی کانولوشنی نسبت به چرخش ناوردا نیست.",
        "Part 1(b), paragraph 1, sentence 1",
        "Held-out images rotated in 15° steps (15°–345°): the share whose top-1 label stays the one predicted on "
        "the upright image, for the CNN (the ViT's for comparison).",
        f"Holds when the CNN's share is clearly below {NOT_INVARIANT:.0%} (the interval's high end); does not hold "
        f"when it is at least {INVARIANT:.0%} (the low end); partly in between."),
    Claim(
        "C6",
        "A CNN is translation-invariant",
        "A CNN is invariant to translation.",
        "شبکه‌ی کانولوشنی نسبت به جابه‌جایی (انتقال) ناورداست.",
        "Part 1(b), paragraph 1, sentence 1",
        "Held-out images shifted by up to 20% of their side: the share whose top-1 label stays the one predicted on "
        "the unshifted image, for the CNN (the ViT's for comparison).",
        f"Holds when the CNN's share is at least {INVARIANT:.0%} (the interval's low end); does not hold when it is "
        f"clearly below {NOT_INVARIANT:.0%} (the high end); partly in between."),
    Claim(
        "C7",
        "Pooling loses the arrangement: moved parts alone do not stop a CNN seeing a face",
        "A pooling layer throws away how the parts of the image are arranged, so parts in the wrong places alone "
        "would not stop a CNN from calling the picture a face.",
        "لایه‌ی تجمیع (pooling) اطلاعاتِ رابطه‌ی میان بخش‌های تصویر را از بین می‌برد؛ پس صرفِ جابه‌جا بودن "
        "اجزا مانع نمی‌شود که شبکه‌ی کانولوشنی تصویر را چهره تشخیص دهد.",
        "Part 1(b), paragraph 1, sentences 1–2",
        "Toy faces with their parts moved but not rotated: the share the CNN still calls a face, against the same "
        "CNN without global pooling. Where the arrangement experiment has run, on its task (a jumbled face is a class "
        "of its own there, so arrangement matters) with its pooled CNN; otherwise on the report pair's Picasso faces.",
        f"Holds when the CNN calls at least {STILL_FACE:.0%} of them a face, partly from {STILL_FACE_PARTLY:.0%}, "
        "else does not hold; a holding verdict drops to partly when the CNN without pooling does not call clearly "
        "fewer of them a face (then pooling is not the cause)."),
    Claim(
        "C8",
        "The CNN will not call the homework's picture a face (rotated lips and nose)",
        "In the homework's picture the eyes and brows are out of place and the lips and nose are rotated; because "
        "of the rotated parts, the CNN will not label it a face.",
        "در تصویر تمرین، چشم‌ها و ابروها سر جای خود نیستند و لب و بینی چرخیده‌اند؛ به‌خاطر همین اجزای "
        "چرخیده، شبکه‌ی کانولوشنی به آن برچسب «چهره» نمی‌زند.",
        "Part 1(b), paragraph 1, last sentence",
        "Toy faces scrambled as the homework's picture (eyes and brows moved, lips and nose rotated): the share the "
        "CNN calls a face; and a rotated-only variant (lips and nose rotated, nothing moved, the arrangement "
        "experiment's variant (a)) that isolates the reason the homework gives. On the arrangement task where it has "
        "run, else on the report pair's Picasso faces.",
        f"Holds when the CNN calls at most {NOT_FACE:.0%} of the homework's faces a face, partly at most "
        f"{NOT_FACE_PARTLY:.0%}, else does not hold (a CNN that calls 98% of them a face contradicts the claim); a "
        f"holding verdict drops to partly when the rotated-only faces are still called faces (over "
        f"{NOT_FACE_PARTLY:.0%})."),
    Claim(
        "C9",
        "The attention network will not call that picture a face either",
        "The attention-based network will not label that picture a face either: with positional embeddings it "
        "learns how the parts relate. (The homework's sentence breaks off at \"if positional [embeddings are not "
        "used]…\".)",
        "شبکه‌ی مبتنی بر توجه هم به این تصویر برچسب «چهره» نمی‌زند، چون با افزودن تعبیه‌های مکانی "
        "(positional embedding) رابطه‌ی میان بخش‌ها را هم یاد می‌گیرد. (جمله‌ی تمرین در «اگر از positional …» "
        "ناتمام مانده است.)",
        "Part 1(b), paragraph 2",
        "The same scrambled faces and rotated-only variant, for the ViT (on the arrangement task where it has run, "
        "its ViT with position embeddings), against the same ViT trained without position embeddings.",
        f"Holds when the ViT calls at most {NOT_FACE:.0%} of the homework's faces a face, partly at most "
        f"{NOT_FACE_PARTLY:.0%}, else does not hold; a holding verdict drops to partly when the ViT without position "
        "embeddings does not call clearly more of them a face (then position embeddings are not the reason)."),
    Claim(
        "C10",
        "Question 3's multi-head attention has 33,000 weights",
        "The multi-head attention of question 3 (3 heads; queries, keys and values of 20, 10 and 30 features; each "
        "head projects each of them to 100; W_o maps to 50) has 18,000 + 15,000 = 33,000 weights.",
        "توجه چندسرِ پرسش ۳ (سه سر؛ پرس‌وجو، کلید و مقدار با ۲۰، ۱۰ و ۳۰ ویژگی؛ هر سر هر یک را به ۱۰۰ بُعد "
        "می‌برد و W_o به ۵۰ بُعد) روی هم ۱۸٬۰۰۰ + ۱۵٬۰۰۰ = ۳۳٬۰۰۰ وزن دارد.",
        "Part 3",
        "The count worked out by lab.theory.mha_parameters for these sizes, without biases.",
        "Holds when the count equals the homework's 33,000; otherwise does not hold."),
    Claim(
        "C11",
        "Global MSA costs grow quadratically with the tokens, W-MSA linearly",
        "Global self-attention costs Ω(MSA) = 4hwC² + 2(hw)²C, quadratic in the number of tokens; windowed "
        "attention costs Ω(W-MSA) = 4hwC² + 2M²hwC, linear when the window M is fixed.",
        "هزینه‌ی توجه سراسری Ω(MSA) = 4hwC² + 2(hw)²C است که با تعداد توکن‌ها از درجه‌ی دو رشد می‌کند؛ هزینه‌ی "
        "توجه پنجره‌ای Ω(W-MSA) = 4hwC² + 2M²hwC است که برای اندازه‌ی پنجره‌ی ثابت M خطی است.",
        "Part 4(b), the two formulas and the sentence after them",
        f"How much each Ω grows when the number of tokens doubles from Swin's first stage ({swin.SIDE}×{swin.SIDE} "
        f"tokens, C = {swin.CHANNELS}, M = {swin.WINDOW}), as an exponent of the tokens.",
        f"Holds when Ω(MSA) grows as tokens^{QUADRATIC} or faster and Ω(W-MSA) at most as tokens^{LINEAR}; partly "
        f"when Ω(MSA) grows faster than tokens^{SUPERLINEAR} but not yet quadratically; does not hold otherwise."),
    Claim(
        "C12",
        "W-MSA windows do not communicate; shifted windows connect them",
        "With W-MSA alone no information passes between windows, which limits the model's power; shifted windows "
        "(SW-MSA) connect neighbours that did not share a window in the previous layer.",
        "در W-MSA میان پنجره‌ها هیچ ارتباطی برقرار نیست و همین توان مدل را محدود می‌کند؛ پنجره‌های جابه‌جاشده "
        "(SW-MSA) همسایه‌هایی را که در لایه‌ی قبل در یک پنجره نبودند به هم مرتبط می‌کنند.",
        "Part 4(c), sentences 1–2",
        f"Computed, not timed: on a {swin.SIDE}×{swin.SIDE} token grid with {swin.WINDOW}×{swin.WINDOW} windows, "
        "how many tokens can have influenced a token "
        "after 1, 2, 4 and 8 layers of global MSA, of W-MSA alone and of W-MSA alternating with SW-MSA (an exact "
        "count on the grid, on average and for the central token).",
        "Holds when W-MSA alone never reaches beyond one window and the alternation with SW-MSA does from the second "
        "layer on; partly when only one of the two is true; does not hold when neither is."),
    Claim(
        "C13",
        "After 5 epochs (74%) the ViT is underfit; more epochs would improve it",
        "Started from pretrained weights and trained for 5 epochs, the ViT reaches 74% accuracy: it is underfit, "
        "and training for more epochs would improve it.",
        "مدلی که از وزن‌های ازپیش‌آموخته شروع شده و ۵ ایپاک آموزش دیده به دقت ۷۴٪ می‌رسد؛ مدل کم‌برازش "
        "(underfit) است و با آموزش در ایپاک‌های بیشتر بهتر می‌شود.",
        "The experiment, the paragraph after the ViT code",
        "The homework's protocol on our data (the arrangement issue's fine-tuning run): validation accuracy after 5 "
        "epochs against the accuracy after training on.",
        "Holds when the final accuracy is clearly above the accuracy after 5 epochs (Wilson intervals apart); partly "
        "when higher but within the intervals; does not hold otherwise; not testable here until the run exists."),
    Claim(
        "C14",
        "The bird is misclassified, yet the model attends to the right parts",
        "Although the model's prediction for the bird is wrong, it attends to the right parts of the image; "
        "with more training it would probably predict the right label.",
        "با اینکه پیش‌بینی مدل برای تصویر پرنده نادرست است، مدل به بخش‌های درستی از تصویر توجه کرده است و "
        "اگر آموزش ادامه یابد، احتمالاً برچسب درست را پیش‌بینی خواهد کرد.",
        "The experiment, the last paragraph",
        "In the same run, for the validation images misclassified after the first epoch (the arrangement issue's "
        "protocol): the share of the ViT's rollout and Chefer maps on the object against the object's share of the "
        "area, and how many of them the final model gets right.",
        "Holds when the attention on the object clearly exceeds its share of the area and most of those images (over "
        f"{MOST:.0%}) are right at the end; partly when only one of the two; does not hold when neither; not testable "
        "here until the run exists."),
)
"""C1–C14 in the homework's order."""

_BY_ID = {c.id: c for c in CLAIMS}


def claim(id: str) -> Claim:
    """The claim with this id (C1–C14)."""
    try:
        return _BY_ID[id]
    except KeyError:
        raise KeyError(f"no claim {id!r}; the claims are {', '.join(_BY_ID)}") from None
