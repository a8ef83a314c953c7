"""Build a tiny random-weight Argos Translate package at test time.

Nothing is downloaded and no binary fixture is committed: `build_argos_package` trains a small
SentencePiece model on built-in English/Vietnamese text, builds a 1+1 layer MarianMT-style
transformer with random weights directly through CTranslate2's spec API (no `transformers`
needed) and zips it with the layout of a real `.argosmodel`::

    translate-en_vi-test/
        README.md
        metadata.json                  (type "translate", from_code/to_code, package_version)
        model/config.json              (CTranslate2 config, as the Marian converter writes it)
        model/model.bin                (int8 by default)
        model/shared_vocabulary.json   (["</s>", "<unk>", "▁", ...], Marian/OPUS-MT order)
        sentencepiece.model            (unigram; <unk>=0, <s>=1, </s>=2, no pad)

The model output is meaningless. A negative output bias on </s> (and <unk>) stops it from
ending early, so every output runs to the decoding limit: pass `max_decoding_length` to
CTranslate2 (argostranslate itself does not, so it decodes up to CTranslate2's default, 256).

Same arguments, same library versions -> same bytes (fixed zip timestamps, single-threaded
SentencePiece training, numpy `default_rng` seeded with `seed` and the language pair).

Using it with argostranslate 1.11 (see `argos_env`, `use_argos_dir`, `offline_sentence_splitter`):

* Its package dir is read from the environment when `argostranslate.settings` is first
  imported: `ARGOS_PACKAGES_DIR` (else `$XDG_DATA_HOME/argos-translate/packages`, else
  `~/.local/share/argos-translate/packages`). Import also creates `$XDG_DATA_HOME`,
  `$XDG_CONFIG_HOME` and `$XDG_CACHE_HOME` `/argos-translate` folders. Later changes to the
  environment are ignored, so either run argostranslate in a subprocess with `argos_env(root)`,
  or patch the already imported module with `use_argos_dir(root)` (set the XDG_* variables of
  `argos_env` in os.environ before the first import if ~ must stay untouched).
* `argostranslate.translate.translate()` splits sentences with MiniSBD by default, which
  downloads `<data_dir>/minisbd/<lang>.onnx` from GitHub on the first call and fails offline
  (`urllib.error.URLError`). `offline_sentence_splitter()` patches
  `argostranslate.sbd.MiniSBDSentencizer.split_sentences`; or build with `spacy_sbd=True` and
  run with ARGOS_CHUNK_TYPE=SPACY.

Pytest: `from argos_fixture import argos_package` in a test module (or conftest) makes the
session fixture available; it returns {"en-vi": Path, "vi-en": Path} of `.argosmodel` files.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pytest

__all__ = [
    "argos_env",
    "argos_package",
    "build_argos_package",
    "builtin_texts",
    "extract_package",
    "make_zip_slip_package",
    "offline_sentence_splitter",
    "site_texts",
    "use_argos_dir",
]

LANGUAGE_NAMES = {"en": "English", "vi": "Vietnamese"}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
MAX_POSITIONS = 512  # MarianMT / OPUS-MT max_position_embeddings

# ---------------------------------------------------------------------------------------------
# Training text
# ---------------------------------------------------------------------------------------------

_EN = """\
Amazon S3 stores the files of the static website in a private bucket.
Amazon CloudFront delivers the website over HTTPS from edge locations around the world.
AWS CodePipeline starts a new build every time you push to the main branch.
AWS CodeBuild runs Hugo and copies the generated files to the bucket.
Open the AWS Management Console and sign in with your IAM user.
Choose Create bucket, enter a unique name and keep Block Public Access turned on.
In the navigation pane, choose Distributions and then Create distribution.
Select the S3 bucket as the origin and enable Origin Access Control.
Copy the bucket policy and paste it into the Permissions tab of the bucket.
Wait until the status of the distribution changes to Deployed.
The IAM role needs permission to read and write objects in the bucket.
Never share your access keys, and rotate them regularly.
Use least privilege: grant only the permissions that the task requires.
An Amazon EventBridge rule sends a notification when a pipeline run fails.
The SNS topic forwards the message to the email address of the team.
Amazon DynamoDB is a fully managed NoSQL database service.
AWS Lambda runs your code without provisioning or managing servers.
Amazon API Gateway creates, publishes and secures REST and WebSocket APIs.
Amazon RDS makes it easy to set up a relational database in the cloud.
AWS Database Migration Service moves data between databases with minimal downtime.
Amazon VPC lets you launch resources in a logically isolated virtual network.
A security group acts as a virtual firewall for your EC2 instances.
Create a public subnet and a private subnet in each Availability Zone.
Attach an internet gateway to the VPC and update the route table.
Amazon CloudWatch collects metrics and logs from your applications.
Set an alarm that triggers when CPU utilization is above 80 percent for five minutes.
AWS CloudFormation provisions resources from a template written in YAML or JSON.
Delete the stack when you finish the workshop to avoid unnecessary charges.
The cache behavior decides how long CloudFront keeps each object.
The default TTL is one day, and you can invalidate a path at any time.
Versioning keeps every version of an object, so you can restore deleted files.
Enable server-side encryption with keys managed by AWS KMS.
Amazon Route 53 routes traffic for your domain name to the distribution.
Request a public certificate in AWS Certificate Manager in the us-east-1 Region.
This workshop takes about two hours and costs less than one dollar.
You need an AWS account, a terminal and a recent version of Git.
Run the following command to check that the AWS CLI is configured.
If the build fails, open the logs of the CodeBuild project.
The pipeline has two stages: source and build, and an optional deploy stage.
Thank you for joining the community day, and see you at the next meetup!
Before you begin, make sure that your account has the required service quotas.
The architecture diagram shows how the services work together.
Each step of this lab builds on the result of the previous step.
Clean up all resources at the end of the lab.
Amazon Bedrock gives access to foundation models through a single API.
Amazon SageMaker helps you build, train and deploy machine learning models.
AWS Glue prepares and loads data for analytics.
Amazon Athena queries data in Amazon S3 with standard SQL.
AWS Step Functions coordinates the steps of a serverless workflow.
Amazon ECS runs containers on a cluster of EC2 instances or on AWS Fargate.
"""

_VI = """\
Amazon S3 lưu trữ các file của website tĩnh trong một bucket ở chế độ private.
Amazon CloudFront phân phối website qua HTTPS từ các edge location trên toàn thế giới.
AWS CodePipeline bắt đầu một lần build mới mỗi khi bạn push lên branch main.
AWS CodeBuild chạy Hugo và sao chép các file được sinh ra vào bucket.
Mở AWS Management Console và đăng nhập bằng IAM user của bạn.
Chọn Create bucket, nhập một tên duy nhất và giữ Block Public Access ở trạng thái bật.
Trong thanh điều hướng, chọn Distributions rồi chọn Create distribution.
Chọn bucket S3 làm origin và bật Origin Access Control.
Sao chép bucket policy và dán vào tab Permissions của bucket.
Chờ cho đến khi trạng thái của distribution chuyển thành Deployed.
IAM role cần quyền đọc và ghi các object trong bucket.
Không bao giờ chia sẻ access key của bạn, và hãy thay đổi chúng thường xuyên.
Áp dụng nguyên tắc đặc quyền tối thiểu: chỉ cấp những quyền mà công việc yêu cầu.
Một rule của Amazon EventBridge gửi thông báo khi pipeline chạy thất bại.
SNS topic chuyển tiếp tin nhắn đến địa chỉ email của nhóm.
Amazon DynamoDB là dịch vụ cơ sở dữ liệu NoSQL được quản lý hoàn toàn.
AWS Lambda chạy mã nguồn của bạn mà không cần cung cấp hay quản lý máy chủ.
Amazon API Gateway tạo, xuất bản và bảo mật các API REST và WebSocket.
Amazon RDS giúp bạn dễ dàng thiết lập một cơ sở dữ liệu quan hệ trên đám mây.
AWS Database Migration Service di chuyển dữ liệu với thời gian gián đoạn tối thiểu.
Amazon VPC cho phép bạn khởi chạy tài nguyên trong một mạng ảo được cô lập về mặt logic.
Security group hoạt động như một tường lửa ảo cho các EC2 instance của bạn.
Tạo một subnet public và một subnet private trong mỗi Availability Zone.
Gắn internet gateway vào VPC và cập nhật route table.
Amazon CloudWatch thu thập metric và log từ các ứng dụng của bạn.
Đặt một alarm kích hoạt khi mức sử dụng CPU vượt quá 80 phần trăm trong năm phút.
AWS CloudFormation khởi tạo tài nguyên từ một template viết bằng YAML hoặc JSON.
Xóa stack khi bạn hoàn thành workshop để tránh các khoản phí không cần thiết.
Cache behavior quyết định CloudFront giữ mỗi object trong bao lâu.
TTL mặc định là một ngày, và bạn có thể vô hiệu hóa một đường dẫn bất cứ lúc nào.
Versioning giữ lại mọi phiên bản của object, vì vậy bạn có thể khôi phục các file đã xóa.
Bật mã hóa phía máy chủ với khóa do AWS KMS quản lý.
Amazon Route 53 định tuyến lưu lượng của tên miền đến distribution.
Yêu cầu một chứng chỉ public trong AWS Certificate Manager ở Region us-east-1.
Workshop này mất khoảng hai giờ và tốn chưa đến một đô la.
Bạn cần một tài khoản AWS, một terminal và phiên bản Git mới.
Chạy lệnh sau để kiểm tra rằng AWS CLI đã được cấu hình.
Nếu build thất bại, hãy mở log của project CodeBuild.
Pipeline có hai stage: source và build, cùng một stage deploy tùy chọn.
Cảm ơn bạn đã tham gia community day, hẹn gặp lại ở buổi meetup tiếp theo!
Trước khi bắt đầu, hãy đảm bảo tài khoản của bạn có đủ service quota cần thiết.
Sơ đồ kiến trúc cho thấy các dịch vụ kết hợp với nhau như thế nào.
Mỗi bước của bài lab được xây dựng dựa trên kết quả của bước trước đó.
Dọn dẹp toàn bộ tài nguyên khi kết thúc bài lab.
Amazon Bedrock cung cấp quyền truy cập vào các foundation model thông qua một API duy nhất.
Amazon SageMaker giúp bạn xây dựng, huấn luyện và triển khai các mô hình học máy.
AWS Glue chuẩn bị và nạp dữ liệu cho việc phân tích.
Amazon Athena truy vấn dữ liệu trong Amazon S3 bằng SQL tiêu chuẩn.
AWS Step Functions điều phối các bước của một quy trình serverless.
Amazon ECS chạy container trên một cụm EC2 instance hoặc trên AWS Fargate.
Lời khuyên từ nhóm tổ chức: hãy tự vẽ sơ đồ ra giấy trước khi tiếp tục.
Người truy cập không bao giờ truy cập trực tiếp vào bucket.
Tại sao không dùng bucket public? Vì bất kỳ ai cũng có thể đọc các object.
Ghi chú về IAM: mỗi người dùng nên có một tài khoản riêng.
"""

# Every lowercase Vietnamese letter, so real site text rarely hits <unk> (uppercase toned vowels
# only where the sentences above have them: each character costs a piece of the vocabulary).
_VI_VOWELS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"
_ALPHABET = (
    _VI_VOWELS
    + "đĐ"
    + "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789"
    + " .,;:!?'\"()[]{}<>/\\|-_=+*&^%$#@~`"
)

_SUBJECTS = [
    ("you", "bạn"),
    ("the team", "nhóm"),
    ("the pipeline", "pipeline"),
    ("the administrator", "quản trị viên"),
    ("each user", "mỗi người dùng"),
]
_ACTIONS = [
    ("creates", "tạo"),
    ("deletes", "xóa"),
    ("updates", "cập nhật"),
    ("checks", "kiểm tra"),
    ("configures", "cấu hình"),
]
_OBJECTS = [
    ("the bucket", "bucket"),
    ("a new role", "một role mới"),
    ("the distribution", "distribution"),
    ("the log group", "log group"),
    ("a security group", "một security group"),
    ("the stack", "stack"),
]


def builtin_texts() -> list[str]:
    """About 400 lines of English and Vietnamese AWS-workshop text (deterministic)."""
    lines = [*_EN.splitlines(), *_VI.splitlines()]
    for s_en, s_vi in _SUBJECTS:
        for a_en, a_vi in _ACTIONS:
            for o_en, o_vi in _OBJECTS:
                lines.append(f"Then {s_en} {a_en} {o_en} in the console.")
                lines.append(f"Sau đó {s_vi} {a_vi} {o_vi} trong console.")
    # Each character several times, so SentencePiece keeps it as a piece.
    lines += [" ".join(_ALPHABET)] * 3
    return lines


def site_texts(root: Path | None = None) -> list[str]:
    """Non-empty lines of the markdown files under data/site/content (sorted, for determinism)."""
    root = root or Path(__file__).resolve().parents[1] / "data" / "site" / "content"
    lines: list[str] = []
    for md in sorted(root.rglob("*.md")):
        lines += [ln.strip() for ln in md.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return lines


# ---------------------------------------------------------------------------------------------
# SentencePiece
# ---------------------------------------------------------------------------------------------


def _train_sentencepiece(texts: list[str], vocab_size: int) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(texts),
        model_writer=model,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,  # small corpora: fewer pieces than asked is fine
        character_coverage=1.0,
        normalization_rule_name="nmt_nfkc",
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,  # as in OPUS-MT / the shared packages
        num_threads=1,  # deterministic EM
        input_sentence_size=0,
        shuffle_input_sentence=False,
        minloglevel=2,
    )
    return model.getvalue()


def _marian_vocabulary(sp_model: bytes) -> list[str]:
    """CTranslate2 shared vocabulary as the Marian converter writes it: </s>, <unk>, pieces."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=sp_model)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    assert pieces[:3] == ["<unk>", "<s>", "</s>"], pieces[:3]
    return ["</s>", "<unk>", *pieces[3:]]


# ---------------------------------------------------------------------------------------------
# CTranslate2 model
# ---------------------------------------------------------------------------------------------


def _sinusoids(positions: int, dim: int) -> np.ndarray:
    """MarianSinusoidalPositionalEmbedding: sin in the first half, cos in the second."""
    pos = np.arange(positions, dtype=np.float64)[:, None]
    inv = np.power(10000.0, -2.0 * (np.arange(dim // 2, dtype=np.float64)) / dim)[None, :]
    return np.concatenate([np.sin(pos * inv), np.cos(pos * inv)], axis=1).astype(np.float32)


def _build_spec(
    vocab: list[str],
    *,
    rng: np.random.Generator,
    d_model: int,
    ffn: int,
    heads: int,
    eos_bias: float,
    word_bias: float,
    tie_embeddings: bool,
    max_positions: int = MAX_POSITIONS,
):
    from ctranslate2.specs import common_spec, transformer_spec  # imports torch if installed

    d, v = d_model, len(vocab)
    std = d**-0.5

    def mat(rows: int, cols: int) -> np.ndarray:
        return rng.normal(0.0, std, (rows, cols)).astype(np.float32)

    def zeros(n: int) -> np.ndarray:
        return np.zeros(n, dtype=np.float32)

    def linear(spec, rows: int, cols: int) -> None:
        spec.weight = mat(rows, cols)
        spec.bias = zeros(rows)

    def norm(spec) -> None:
        spec.gamma = np.ones(d, dtype=np.float32)
        spec.beta = zeros(d)

    def ffn_layer(spec) -> None:
        linear(spec.linear_0, ffn, d)
        linear(spec.linear_1, d, ffn)
        norm(spec.layer_norm)

    # MarianMT (OPUS-MT): post-norm, swish, no embedding layer norm, shared vocabulary.
    spec = transformer_spec.TransformerSpec.from_config(
        (1, 1),
        heads,
        pre_norm=False,
        activation=common_spec.Activation.SWISH,
        layernorm_embedding=False,
    )
    embeddings = mat(v, d)
    positions = _sinusoids(max_positions, d)

    enc = spec.encoder
    enc.scale_embeddings = math.sqrt(d)
    enc.embeddings[0].weight = embeddings
    enc.position_encodings.encodings = positions
    for layer in enc.layer:
        linear(layer.self_attention.linear[0], 3 * d, d)  # fused q, k, v
        linear(layer.self_attention.linear[1], d, d)
        norm(layer.self_attention.layer_norm)
        ffn_layer(layer.ffn)

    dec = spec.decoder
    dec.scale_embeddings = math.sqrt(d)
    dec.start_from_zero_embedding = True
    dec.embeddings.weight = embeddings
    dec.position_encodings.encodings = positions
    for layer in dec.layer:
        linear(layer.self_attention.linear[0], 3 * d, d)
        linear(layer.self_attention.linear[1], d, d)
        norm(layer.self_attention.layer_norm)
        linear(layer.attention.linear[0], d, d)  # q
        linear(layer.attention.linear[1], 2 * d, d)  # fused k, v
        linear(layer.attention.linear[2], d, d)
        norm(layer.attention.layer_norm)
        ffn_layer(layer.ffn)
    # OPUS-MT ties the output layer to the embeddings too, but a random tied model mostly
    # repeats its previous token (the residual path carries its embedding to the logits).
    dec.projection.weight = embeddings if tie_embeddings else mat(v, d)
    bias = zeros(v)
    bias[vocab.index("</s>")] = eos_bias  # random models should not stop early
    bias[vocab.index("<unk>")] = eos_bias
    bias[[i for i, tok in enumerate(vocab) if tok.startswith("\u2581")]] += word_bias  # words
    dec.projection.bias = bias

    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    cfg = spec.config  # as written by the Transformers converter for MarianMT
    cfg.unk_token, cfg.bos_token, cfg.eos_token = "<unk>", "<s>", "</s>"
    cfg.decoder_start_token = "</s>"
    cfg.add_source_bos, cfg.add_source_eos = False, True
    return spec


# ---------------------------------------------------------------------------------------------
# Package
# ---------------------------------------------------------------------------------------------


def _zip_tree(src: Path, top: str, dest: Path) -> None:
    """Zip src as top/..., like the shared packages: sorted, with dir entries, fixed dates."""
    entries: list[tuple[str, Path | None]] = [(top + "/", None)]
    for path in sorted(src.rglob("*"), key=lambda p: p.relative_to(src).as_posix()):
        name = f"{top}/{path.relative_to(src).as_posix()}"
        entries.append((name + "/", None) if path.is_dir() else (name, path))
    with zipfile.ZipFile(dest, "w") as zf:
        for name, path in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3
            if path is None:
                info.external_attr = (0o40755 << 16) | 0x10
                zf.writestr(info, b"")
            else:
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes(), compresslevel=6)


def build_argos_package(
    dest_dir: Path,
    *,
    from_code: str = "en",
    to_code: str = "vi",
    seed: int = 0,
    vocab_size: int = 300,
    d_model: int = 16,
    texts: Iterable[str] | None = None,
    ffn_dim: int | None = None,
    num_heads: int = 2,
    eos_bias: float = -20.0,
    word_bias: float = 1.0,
    tie_embeddings: bool = False,
    spacy_sbd: bool = False,
    quantization: str | None = "int8",
    max_positions: int = MAX_POSITIONS,
) -> Path:
    """Train a tiny SentencePiece model on `texts` (default: `builtin_texts()`; pass
    `site_texts()` for the sample site), build a 1+1 layer random-weight MarianMT-style
    transformer (shared vocabulary) with CTranslate2's spec API, and zip it as
    dest_dir/translate-{from}_{to}-test.argosmodel; return the path.

    `vocab_size` is a soft upper limit (the built-in text supports about 610 pieces) but must
    exceed the number of distinct characters + 3 (167 for the built-in text, so >= 200 is
    safe: SentencePiece raises otherwise); the model vocabulary has
    one entry less than the SentencePiece model (<s> is dropped, as in OPUS-MT). `eos_bias` is
    added to the </s> and <unk> logits: the default makes outputs run to max_decoding_length;
    use 0.0 for a model that may stop by itself. `word_bias` favours "▁" (word-start) pieces so
    the output looks like words. The weights come from numpy's default_rng seeded with `seed`
    and the language pair, so en->vi and vi->en differ for the same seed; the tokenizer depends
    only on `texts` and `vocab_size`.

    `spacy_sbd=True` adds a blank spaCy pipeline as `spacy/` (+0.7 s, imports spaCy): with
    ARGOS_CHUNK_TYPE=SPACY, argostranslate then splits sentences with spaCy's rule-based
    sentencizer, offline and without patching (it still tries, and fails, to download
    xx_sent_ud_sm when argostranslate.sbd is imported). Other chunk types ignore it.

    `max_positions` is the number of position encodings of the encoder and the decoder (the
    `encoder/position_encodings/encodings` variable of model.bin, shape [positions, d_model]):
    CTranslate2 refuses a source of more tokens (counting </s>) or a longer decoding with
    "No position encodings are defined for positions >= N". OPUS-MT has 512; the shared tiny
    packages 256; pass e.g. 64 to exercise the engine's splitting of long units.
    """
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    if d_model % num_heads or d_model % 2:
        raise ValueError("d_model must be even and divisible by num_heads")
    lines = [t for t in (builtin_texts() if texts is None else texts) if t.strip()]
    if not lines:
        raise ValueError("texts is empty")
    top = f"translate-{from_code}_{to_code}-test"
    out = dest_dir / f"{top}.argosmodel"

    sp_model = _train_sentencepiece(lines, vocab_size)
    vocab = _marian_vocabulary(sp_model)
    rng = np.random.default_rng([seed, zlib.crc32(f"{from_code}-{to_code}".encode())])
    spec = _build_spec(
        vocab,
        rng=rng,
        d_model=d_model,
        ffn=ffn_dim or 2 * d_model,
        heads=num_heads,
        eos_bias=eos_bias,
        word_bias=word_bias,
        tie_embeddings=tie_embeddings,
        max_positions=max_positions,
    )
    spec.validate()
    spec.optimize(quantization=quantization)

    from_name = LANGUAGE_NAMES.get(from_code, from_code)
    to_name = LANGUAGE_NAMES.get(to_code, to_code)
    metadata = {
        "package_version": "0.0+test",
        "argos_version": "1.11.0",
        "from_code": from_code,
        "from_name": from_name,
        "to_code": to_code,
        "to_name": to_name,
        "type": "translate",
        "name": f"{from_name}-{to_name} test package (random weights)",
        "description": "Random weights: output is meaningless. Built by tests/argos_fixture.py.",
    }
    readme = (
        f"# {from_name}-{to_name} test package\n\n"
        "Random weights: output is meaningless. Built at test time by tests/argos_fixture.py.\n\n"
        f"- Model: MarianMT-style, d_model {d_model}, 1+1 layers, {num_heads} heads, "
        f"feed-forward {ffn_dim or 2 * d_model}, seed {seed}, CTranslate2 {quantization}, "
        f"{max_positions} positions.\n"
        f"- Vocabulary: {len(vocab)} entries; SentencePiece unigram, "
        f"{len(vocab) + 1} pieces.\n"
    )

    with tempfile.TemporaryDirectory(prefix="argos-fixture-") as tmp:
        pkg = Path(tmp) / top
        (pkg / "model").mkdir(parents=True)
        spec.save(str(pkg / "model"))
        (pkg / "sentencepiece.model").write_bytes(sp_model)
        (pkg / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
        (pkg / "README.md").write_text(readme, encoding="utf-8")
        if spacy_sbd:
            import spacy

            spacy.blank("xx").to_disk(pkg / "spacy")
        _zip_tree(pkg, top, out)
    return out


def extract_package(archive: Path, dest_dir: Path) -> Path:
    """Unzip an .argosmodel into dest_dir and return its top-level package folder
    (ctranslate2.Translator(pkg / "model"), SentencePieceProcessor(pkg / "sentencepiece.model"))."""
    with zipfile.ZipFile(archive) as zf:
        tops = {n.split("/", 1)[0] for n in zf.namelist()}
        assert len(tops) == 1, tops
        zf.extractall(dest_dir)
    return Path(dest_dir) / tops.pop()


def make_zip_slip_package(dest: Path, member: str = "../evil.txt") -> Path:
    """A package that looks valid (metadata.json, model/, sentencepiece.model) but also holds
    `member`, a path that escapes the extraction folder ("../evil.txt" by default; pass e.g.
    "/tmp/evil.txt" for an absolute path). `dest` is the .argosmodel path, or a folder for
    translate-en_vi-zipslip.argosmodel.

    Note: Python's zipfile.extractall (what argostranslate.package.install_from_path uses)
    silently strips ".." and leading "/", so it writes "evil.txt" inside the target: the
    rejection has to be vien's own check of the member names.
    """
    dest = Path(dest)
    if dest.suffix != ".argosmodel":
        dest.mkdir(parents=True, exist_ok=True)
        dest = dest / "translate-en_vi-zipslip.argosmodel"
    top = "translate-en_vi-zipslip"
    metadata = {
        "package_version": "0.0+test",
        "argos_version": "1.11.0",
        "from_code": "en",
        "from_name": "English",
        "to_code": "vi",
        "to_name": "Vietnamese",
        "type": "translate",
    }
    members = [
        (f"{top}/metadata.json", json.dumps(metadata).encode()),
        (f"{top}/model/config.json", b"{}"),
        (f"{top}/model/model.bin", b"\0" * 16),
        (f"{top}/sentencepiece.model", b"\0" * 16),
        (member, b"zip slip\n"),
    ]
    with zipfile.ZipFile(dest, "w") as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.external_attr = 0o100644 << 16
            zf.writestr(info, data)
    with zipfile.ZipFile(dest) as zf:  # ZipInfo must not have normalised the name away
        assert member in zf.namelist(), zf.namelist()
    return dest


# ---------------------------------------------------------------------------------------------
# argostranslate isolation
# ---------------------------------------------------------------------------------------------


def argos_env(root: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for a subprocess whose argostranslate uses only folders under `root`
    (packages in root/packages). argostranslate reads these at import time."""
    root = Path(root)
    env = dict(os.environ if base is None else base)
    env.update(
        {
            "ARGOS_PACKAGES_DIR": str(root / "packages"),
            "XDG_DATA_HOME": str(root / "data"),
            "XDG_CONFIG_HOME": str(root / "config"),
            "XDG_CACHE_HOME": str(root / "cache"),
            "ARGOS_DEVICE_TYPE": "cpu",
        }
    )
    env.pop("ARGOS_CHUNK_TYPE", None)
    return env


@contextlib.contextmanager
def use_argos_dir(packages_dir: Path) -> Iterator[Path]:
    """Point an already imported argostranslate at `packages_dir`, restore afterwards.

    `settings.package_data_dir` (install_from_path) and `settings.package_dirs`
    (get_installed_packages) are both computed at import; argostranslate also keeps loaded
    translations in `translate.installed_translates` keyed by "en-vi" (not cleared by
    `get_installed_languages.cache_clear()`), so both caches are reset on entry and exit.
    """
    from argostranslate import settings, translate

    packages_dir = Path(packages_dir)
    packages_dir.mkdir(parents=True, exist_ok=True)
    saved = settings.package_data_dir, list(settings.package_dirs)

    def reset() -> None:
        translate.installed_translates.clear()
        translate.get_installed_languages.cache_clear()

    settings.package_data_dir = packages_dir
    settings.package_dirs[:] = [packages_dir]
    reset()
    try:
        yield packages_dir
    finally:
        settings.package_data_dir = saved[0]
        settings.package_dirs[:] = saved[1]
        reset()


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _naive_split(self, text: str) -> list[str]:
    parts = [p for p in _SENTENCE_END.split(text) if p.strip()]
    return parts or [text]


@contextlib.contextmanager
def offline_sentence_splitter(split=_naive_split) -> Iterator[None]:
    """Replace MiniSBD (which downloads an ONNX model on first use) by `split(self, text)`.

    argostranslate 1.11 with the default ARGOS_CHUNK_TYPE uses
    `argostranslate.sbd.MiniSBDSentencizer` for every package without a stanza/ folder.
    """
    from argostranslate import sbd

    saved = sbd.MiniSBDSentencizer.split_sentences
    sbd.MiniSBDSentencizer.split_sentences = split
    try:
        yield
    finally:
        sbd.MiniSBDSentencizer.split_sentences = saved


# ---------------------------------------------------------------------------------------------
# pytest
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def argos_package(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """{"en-vi": Path, "vi-en": Path}: .argosmodel files built once per session."""
    root = tmp_path_factory.mktemp("argos-packages")
    return {
        "en-vi": build_argos_package(root, from_code="en", to_code="vi"),
        "vi-en": build_argos_package(root, from_code="vi", to_code="en"),
    }


if __name__ == "__main__":  # python tests/argos_fixture.py DEST: build both, print paths, time
    import sys
    import time

    t0 = time.perf_counter()
    for a, b in (("en", "vi"), ("vi", "en")):
        print(build_argos_package(Path(sys.argv[1]), from_code=a, to_code=b))
    print(f"{time.perf_counter() - t0:.2f} s")
