"""The messages a user reads, by key, in English and Persian; and the errors that carry one.

Code at any layer raises `UserError("key", field=value)` (or an error built on `MessageError`) or hands a
`Message("key", ...)` to a progress callback; its str() is the English, so logs, tests and API clients read it as
before. The UI writes it in the request's language by its key (ui.strings.translated), never by re-reading the
English. Fields that are numbers are written with Persian digits in Persian; fields that are Messages (a word the
message needs, such as a sweep's name) are written in the message's language.
"""
import string

MESSAGES: dict[str, tuple[str, str]] = {
    # images.decode: uploads that cannot be used.
    "no_image": ("No image was provided; please upload one.",
                 "تصویری فرستاده نشده است؛ لطفاً یک تصویر بارگذاری کنید."),
    "upload_missing": ("The uploaded file could not be found; please upload it again.",
                       "پروندهٔ بارگذاری‌شده پیدا نشد؛ لطفاً دوباره بارگذاری‌اش کنید."),
    "upload_unreadable": ("The uploaded file could not be read; please upload it again.",
                          "پروندهٔ بارگذاری‌شده خوانده نشد؛ لطفاً دوباره بارگذاری‌اش کنید."),
    "upload_not_a_file": ("The upload is not a regular file; please upload an image file.",
                          "آنچه بارگذاری شده پروندهٔ معمولی نیست؛ لطفاً یک پروندهٔ تصویر بارگذاری کنید."),
    "file_empty": ("The file is empty (0 bytes); please upload an image.",
                   "پرونده خالی است (۰ بایت)؛ لطفاً یک تصویر بارگذاری کنید."),
    "file_too_large": ("The file is too large ({megabytes:.1f} MB); the limit is {limit} MB.",
                       "پرونده بیش از اندازه بزرگ است ({megabytes:.1f} مگابایت)؛ حد مجاز {limit} مگابایت است."),
    "too_many_pixels": ("The image has too many pixels ({count:,}); the limit is {limit:,}. Please upload a smaller "
                        "one.",
                        "تصویر بیش از اندازه پیکسل دارد ({count:,})؛ حد مجاز {limit:,} پیکسل است. لطفاً تصویر "
                        "کوچک‌تری بارگذاری کنید."),
    "too_many_pixels_uncounted": ("The image has too many pixels; the limit is {limit:,}. Please upload a smaller "
                                  "one.",
                                  "تصویر بیش از اندازه پیکسل دارد؛ حد مجاز {limit:,} پیکسل است. لطفاً تصویر "
                                  "کوچک‌تری بارگذاری کنید."),
    "image_corrupt": ("The image file is truncated or corrupt, so it cannot be decoded; please upload it again.",
                      "پروندهٔ تصویر ناقص یا خراب است و رمزگشایی نمی‌شود؛ لطفاً دوباره بارگذاری‌اش کنید."),
    "not_an_image": ("This file is not an image (it looks like {kind}); please upload a {formats} image.",
                     "این پرونده تصویر نیست (به نظر می‌رسد {kind} باشد)؛ لطفاً یک تصویر {formats} بارگذاری کنید."),
    "unsupported_format": ("This file is not an image in a supported format; please upload a {formats} image.",
                           "این پرونده تصویری با قالب پشتیبانی‌شده نیست؛ لطفاً یک تصویر {formats} بارگذاری کنید."),
    "image_formats": ("PNG, JPEG, GIF, BMP, TIFF, WebP or ICO", "PNG، JPEG، GIF، BMP، TIFF، WebP یا ICO"),
    "looks_like_text": ("text", "متن"),
    "looks_like_html": ("an HTML page", "یک صفحهٔ HTML"),
    "looks_like_pdf": ("a PDF document", "یک سند PDF"),
    "looks_like_zip": ("a ZIP archive", "یک بایگانی ZIP"),
    "svg": ("SVG is a vector format and is not supported; please export the drawing as PNG or JPEG.",
            "SVG قالبی برداری است و پشتیبانی نمی‌شود؛ لطفاً طرح را به صورت PNG یا JPEG صادر کنید."),
    "array_shape": ("An image array must have shape (H, W), (H, W, 3) or (H, W, 4), not {shape}.",
                    "آرایهٔ تصویر باید به شکل (H, W)، (H, W, 3) یا (H, W, 4) باشد، نه {shape}."),
    "array_empty": ("The image is empty (it has no pixels).", "تصویر خالی است (هیچ پیکسلی ندارد)."),
    "array_dtype": ("An image array must hold numbers, not {dtype}.", "آرایهٔ تصویر باید عدد داشته باشد، نه {dtype}."),
    # ui.components: what the image widget received.
    "pasted_unreadable": ("The pasted image data could not be read; please upload the file instead.",
                          "دادهٔ تصویر چسبانده‌شده خوانده نشد؛ لطفاً به جای آن خود پرونده را بارگذاری کنید."),
    "nothing_received": ("No image was received; please upload it again.",
                         "تصویری دریافت نشد؛ لطفاً دوباره بارگذاری‌اش کنید."),
    "not_uploaded_here": ("Only files uploaded to this app can be analysed; please upload the image.",
                          "تنها پرونده‌هایی که در همین برنامه بارگذاری شده‌اند بررسی می‌شوند؛ لطفاً تصویر را "
                          "بارگذاری کنید."),
    # ui.requests, ui.pair_choice: the pair and the class asked for.
    "unknown_pair": ("Unknown pair {name!r}: choose one of {pairs}.",
                     "جفت ناشناخته {name!r}: یکی از این‌ها را برگزینید: {pairs}."),
    "unknown_class": ("{name!r} is not a class of the {pair} pair.", "{name!r} کلاسی از جفت {pair} نیست."),
    "internal_error": ("Internal error in {function}; it has been logged. Please try another image.",
                       "خطای درونی در {function}؛ ثبت شد. لطفاً تصویر دیگری را بیازمایید."),
    "loading_pair": ("loading {name}", "در حال بارگذاری {name}"),
    # ui.panels: the panels' settings and progress.
    "top_k_range": ("top_k must be between 1 and {most}, got {got}.",
                    "top_k باید میان ۱ و {most} باشد، اما {got} رسید."),
    "unknown_stage": ("stage must be one of {stages}, got {stage!r}.",
                      "stage باید یکی از {stages} باشد، اما {stage!r} رسید."),
    "layer_range": ("layer must be between 1 and {layers}.", "layer باید میان ۱ و {layers} باشد."),
    "layer_head_range": ("layer must be 1..{layers} and head 0..{heads} (0 = mean of heads).",
                         "layer باید از ۱ تا {layers} و head از ۰ تا {heads} باشد (۰ = میانگین سرها)."),
    "mha_sizes": ("heads, d_model, d_k, d_v and d_out must be positive integers; input sizes 0 or more.",
                  "heads، d_model، d_k، d_v و d_out باید عددهای صحیح مثبت باشند؛ اندازه‌های ورودی ۰ یا بیشتر."),
    "complexity_sizes": ("C must be a positive multiple of 4 (the timing uses 4 heads) and M positive.",
                         "C باید مضرب مثبتی از ۴ باشد (زمان‌سنجی با ۴ سر انجام می‌شود) و M مثبت."),
    "window_range": ("M must be between {low} and {high} for a {side} × {side} grid.",
                     "برای شبکه‌بندی {side} × {side}، M باید میان {low} و {high} باشد."),
    "measuring_reach": ("Differentiating each depth's output with respect to the image",
                        "مشتق‌گیری از خروجی هر عمق نسبت به تصویر"),
    "timing_attention": ("timing attention on {side}×{side} tokens", "زمان‌سنجی توجه روی {side}×{side} توکن"),
    "computing_maps": ("Maps", "نقشه‌ها"),
    "scoring_faithfulness": ("Deleting and inserting pixels (one batch per curve)",
                             "حذف و درج پیکسل‌ها (یک دسته برای هر منحنی)"),
    # lab.swin_view, ui.swin_view: Swin-T's view in the Theory tab.
    "swin_stage_range": ("stage must be 1, 2, 3 or 4 (Swin-T's four stages), got {stage}.",
                         "stage باید ۱، ۲، ۳ یا ۴ باشد (چهار مرحلهٔ Swin-T)، اما {stage} رسید."),
    "swin_block_range": ("Stage {stage} of Swin-T has {blocks} blocks: block must be 1 to {blocks}, got {block}.",
                         "مرحلهٔ {stage} از Swin-T {blocks} بلوک دارد: block باید از ۱ تا {blocks} باشد، اما {block} "
                         "رسید."),
    "swin_head_range": ("Stage {stage} of Swin-T has {heads} heads: head must be 1 to {heads}, got {head}.",
                        "مرحلهٔ {stage} از Swin-T {heads} سر توجه دارد: head باید از ۱ تا {heads} باشد، اما {head} "
                        "رسید."),
    "swin_token_range": ("The token ({row}, {column}) is outside Swin-T's {side} × {side} grid of 4 px patches: row "
                         "and column must be 0 to {last}.",
                         "توکن ({row}، {column}) بیرون از شبکهٔ {side} × {side} وصله‌های ۴ پیکسلی Swin-T است: row و "
                         "column باید از ۰ تا {last} باشند."),
    "swin_blocks_range": ("blocks must be chosen from 1, 2, 3 and 4 (Swin-T's first four blocks), got {blocks}.",
                          "blocks باید از میان ۱، ۲، ۳ و ۴ (چهار بلوک نخست Swin-T) برگزیده شوند، اما {blocks} رسید."),
    "swin_cost_model": ("Unknown model {model!r}: choose one of {models}.",
                        "مدل ناشناخته {model!r}: یکی از این‌ها را برگزینید: {models}."),
    "swin_click_image": ("Click on Swin-T's input image to choose a token.",
                         "برای برگزیدن یک توکن، روی تصویر ورودی Swin-T کلیک کنید."),
    "swin_tracing": ("Tracing the token's reach through Swin-T's blocks in float64 (a few seconds)",
                     "ردگیری دامنهٔ اثر توکن در بلوک‌های Swin-T با دقت float64 (چند ثانیه)"),
    "swin_cost_missing": ("No recorded cost curve: findings/swin_cost.json is missing. Measure it with `python -m "
                          "findings.swin` on a quiet machine (about a minute); the server does not measure while it "
                          "serves, since counting FLOPs hooks every module of the process.",
                          "منحنی هزینه‌ای ثبت نشده است: findings/swin_cost.json وجود ندارد. آن را با `python -m "
                          "findings.swin` روی ماشینی بی‌کار اندازه بگیرید (حدود یک دقیقه)؛ کارساز هنگام پاسخ‌گویی "
                          "اندازه نمی‌گیرد، چون شمردن FLOPها به همهٔ ماژول‌های فرایند قلاب می‌زند."),
    # lab.sweeps, lab.dataset_sweeps: the sweeps' names and progress.
    "sweep_rotate": ("rotate", "چرخش"),
    "sweep_translate": ("translate", "جابه‌جایی"),
    "sweep_shuffle": ("shuffle", "بُر زدن وصله‌ها"),
    "sweep_drop": ("drop", "حذف وصله‌ها"),
    "sweep_progress": ("{kind} sweep: {done}/{total} images", "پیمایش {kind}: {done} از {total} تصویر"),
    "sweep_done": ("{kind} sweep: done", "پیمایش {kind}: پایان"),
    "dataset_sweep_progress": ("{kind}: image {done}/{total}", "{kind}: تصویر {done} از {total}"),
    # lab.picasso, lab.picasso_photo, images.part_scramble, ui.picasso_photo: Picasso faces and photos.
    "picasso_faces_scoring": ("Picasso faces: scoring", "چهره‌های پیکاسویی: امتیازدهی"),
    "picasso_faces_done": ("Picasso faces: done", "چهره‌های پیکاسویی: پایان"),
    "picasso_photo_scoring": ("Picasso photo: scoring", "عکس پیکاسویی: امتیازدهی"),
    "picasso_photo_done": ("Picasso photo: done", "عکس پیکاسویی: پایان"),
    "photo_first": ("Choose or upload a photo first.", "نخست یک عکس برگزینید یا بارگذاری کنید."),
    "click_inside": ("Click inside the photo to mark a part.", "برای علامت‌گذاری یک جزء، درون عکس کلیک کنید."),
    "unknown_part": ("Unknown part {part!r}; parts are {parts}.", "جزء ناشناخته {part!r}؛ اجزا این‌ها هستند: {parts}."),
    "photo_unmarked": ("Mark at least two parts of the photo (only the bundled photos come marked).",
                       "دست‌کم دو جزء از عکس را علامت بزنید (تنها عکس‌های همراهِ برنامه از پیش علامت‌گذاری "
                       "شده‌اند)."),
    "too_few_marks": ("Mark at least two parts (got {count}): a scramble moves parts relative to each other.",
                      "دست‌کم دو جزء را علامت بزنید ({count} علامت خورده است)؛ درهم‌ریختن، اجزا را نسبت به یکدیگر "
                      "جابه‌جا می‌کند."),
    "marked_twice": ("Each part can be marked once; marked more than once: {parts}.",
                     "هر جزء را تنها یک بار می‌توان علامت زد؛ بیش از یک بار علامت خورده: {parts}."),
    "mark_outside": ("The mark for {part!r} at ({x:g}, {y:g}) is outside the {width} × {height} photo.",
                     "علامت {part!r} در ({x:g}، {y:g}) بیرون از عکس {width} × {height} است."),
    "patch_size": ("The patch for {part!r} is {size:g} px; it must be between 4 px and the photo's shorter side "
                   "({side} px).",
                   "وصلهٔ {part!r} {size:g} پیکسل است؛ باید میان ۴ پیکسل و ضلع کوتاه‌تر عکس ({side} پیکسل) باشد."),
    "marks_not_a_list": ('marks must be a list of {{"part", "x", "y", "size"}} (pixels of the photo).',
                         'marks باید فهرستی از علامت‌ها با کلیدهای "part"، "x"، "y" و "size" باشد (بر حسب '
                         'پیکسل‌های عکس).'),
    "mark_keys": ('mark {position} must be {{"part", "x", "y", "size"}}, got {mark!r}.',
                  'علامت {position} باید کلیدهای "part"، "x"، "y" و "size" را داشته باشد، اما {mark!r} رسید.'),
    "mark_unknown_part": ("mark {position}: unknown part {part!r}; parts are {parts}.",
                          "علامت {position}: جزء ناشناخته {part!r}؛ اجزا این‌ها هستند: {parts}."),
    "mark_not_numbers": ("mark {position}: x, y and size must be numbers, got {mark!r}.",
                         "علامت {position}: x و y و size باید عدد باشند، اما {mark!r} رسید."),
    # models.hub, models.pairs: Hub weights that cannot be had, and the model cards' phrases.
    "weights_offline": ("the weights of {repo} are not in the Hub cache (HF_HUB_CACHE) and HF_HUB_OFFLINE is set: "
                        "run `{command}` on a machine with internet, or unset HF_HUB_OFFLINE.",
                        "وزن‌های {repo} در حافظهٔ نهان Hub (HF_HUB_CACHE) نیستند و HF_HUB_OFFLINE روشن است: "
                        "`{command}` را روی رایانه‌ای با اینترنت اجرا کنید، یا HF_HUB_OFFLINE را بردارید."),
    "weights_unreachable": ("the weights of {repo} are not in the Hub cache (HF_HUB_CACHE) and the Hugging Face Hub "
                            "cannot be reached: run `{command}` on a machine with internet.",
                            "وزن‌های {repo} در حافظهٔ نهان Hub (HF_HUB_CACHE) نیستند و Hugging Face Hub در دسترس "
                            "نیست: `{command}` را روی رایانه‌ای با اینترنت اجرا کنید."),
    "weights_slow": ("the weights of {repo} are not in the Hub cache (HF_HUB_CACHE) and the Hugging Face Hub did not "
                     "answer within {seconds:.0f} s: run `{command}` on a machine with internet.",
                     "وزن‌های {repo} در حافظهٔ نهان Hub (HF_HUB_CACHE) نیستند و Hugging Face Hub در {seconds:.0f} "
                     "ثانیه پاسخ نداد: `{command}` را روی رایانه‌ای با اینترنت اجرا کنید."),
    "weights_download_failed": ("the weights of {repo} are not in the Hub cache (HF_HUB_CACHE) and the download "
                                "failed ({error}): run `{command}` on a machine with internet.",
                                "وزن‌های {repo} در حافظهٔ نهان Hub (HF_HUB_CACHE) نیستند و بارگیری شکست خورد "
                                "({error}): `{command}` را روی رایانه‌ای با اینترنت اجرا کنید."),
    "weights_wrong_architecture": ("{repo}: config.json names architecture {found!r}, expected {expected!r}; "
                                   "refusing these weights.",
                                   "{repo}: پروندهٔ config.json معماری {found!r} را نام می‌برد، نه {expected!r}؛ "
                                   "این وزن‌ها پذیرفته نمی‌شوند."),
    "toy_world_training": ("the toy world ({images:,} images)", "جهان اسباب‌بازی ({images:,} تصویر)"),
    "arrangement_task_training": ("the arrangement task ({images:,} images)", "مسئلهٔ چیدمان ({images:,} تصویر)"),
    "toy_world_accuracy": ("{accuracy:.1%} (toy-world test set)", "{accuracy:.1%} (مجموعهٔ آزمون جهان اسباب‌بازی)"),
    "arrangement_task_accuracy": ("{accuracy:.1%} (arrangement-task test set)",
                                  "{accuracy:.1%} (مجموعهٔ آزمون مسئلهٔ چیدمان)"),
    "imagenet_21k_fine_tuned": ("ImageNet-21k, fine-tuned on ImageNet-1k",
                                "ImageNet-21k، با تنظیم دقیق روی ImageNet-1k"),
}
"""key: (English, Persian), each a str.format template over the same fields."""

_PERSIAN_NUMBER = str.maketrans("0123456789.,%", "۰۱۲۳۴۵۶۷۸۹٫٬٪")


def persian_digits(number: str) -> str:
    """A number as written in Persian prose: Persian digits, decimal point ٫, thousands separator ٬ and ٪."""
    return number.translate(_PERSIAN_NUMBER)


class _Filler(string.Formatter):
    """str.format for one language: numbers in its digits, Messages in its words."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        if isinstance(value, Message):
            return value.text(self.lang)
        written = super().format_field(value, format_spec)
        numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
        return persian_digits(written) if numeric and self.lang == "fa" else written


def fill(template: str, lang: str, **fields: object) -> str:
    """The template with its fields written as `lang` ("en" or "fa") writes them (see _Filler)."""
    return _Filler(lang).format(template, **fields)


class Message:
    """A message for a user: its key in MESSAGES and its fields; str() is the English."""

    def __init__(self, key: str, **fields: object) -> None:
        if key not in MESSAGES:
            raise KeyError(f"no message {key!r} in runtime.messages.MESSAGES")
        self.key, self.fields = key, fields

    def text(self, lang: str = "en") -> str:
        """The message in `lang`: "fa" for Persian, anything else for English."""
        english, persian = MESSAGES[self.key]
        return fill(persian if lang == "fa" else english, lang, **self.fields)

    def __str__(self) -> str:
        return self.text("en")

    def __repr__(self) -> str:
        return f"Message({self.key!r}, **{self.fields!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.key, self.fields) == (other.key, other.fields)


class MessageError(Exception):
    """An error whose message a user reads: a key of MESSAGES and its fields; str() is the English."""

    def __init__(self, key: str, **fields: object) -> None:
        self.message = Message(key, **fields)
        super().__init__(str(self.message))

    @property
    def key(self) -> str:
        return self.message.key

    @property
    def fields(self) -> dict:
        return self.message.fields


class UserError(MessageError, ValueError):
    """A request the user can correct (a bad upload, a setting out of range), with a message saying how."""
