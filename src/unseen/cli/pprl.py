"""``unseen pprl``: privacy-preserving linkage between organisations that may not share names."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from unseen.cli._console import err, out
from unseen.cli._progress import progress_bar
from unseen.cli._unlock import PassFileOpt, UserOpt, passphrase, unlock
from unseen.crypto import Passphrase
from unseen.errors import InputError
from unseen.pprl import Hardening
from unseen.services import bundle
from unseen.services import pprl as svc

pprl_app = typer.Typer(
    help="Privacy-preserving linkage with partners: keyed, hardened Bloom-filter encodings, "
    "no names exchanged / 이름을 주고받지 않는 기관 간 연결. See docs/pprl.md.",
    no_args_is_help=True,
)
key_app = typer.Typer(
    help="Share, receive, store and rotate the linkage secret / 연결 비밀키 관리.",
    no_args_is_help=True,
)

KeyFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--key-file", help="Key file from `unseen pprl keygen` / 키 파일.", dir_okay=False
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Linkage config (as for `unseen link`) for lists that are not FORMATS.md person "
        "lists; every partner must use the same one / 연결 설정 파일.",
        exists=True,
        dir_okay=False,
    ),
]


def _key_passphrase(file: Path | None) -> Passphrase:
    return passphrase(file, prompt="Key file passphrase / 키 파일 암호")


@pprl_app.command("keygen")
def keygen(
    keyfile: Annotated[Path, typer.Argument(help="Key file to create.", dir_okay=False)],
    passphrase_file: PassFileOpt = None,
) -> None:
    """Create a new linkage secret in a passphrase-sealed key file (Argon2id + AES-256-GCM)
    / 새 연결 비밀키를 암호로 봉인한 키 파일에 만듭니다.

    Example / 예: unseen pprl keygen ngo-a.pprlkey

    Share the secret only with partners (`unseen pprl key share`); never send the key file.
    """
    info = svc.create_keyfile(keyfile, _key_passphrase_new(passphrase_file))
    out().print(
        f"wrote {keyfile}: linkage secret {info.key_fingerprint} (generation {info.generation}), "
        f"signer {info.signer} / 키 파일을 만들었습니다"
    )


def _key_passphrase_new(file: Path | None) -> Passphrase:
    return passphrase(file, prompt="New key file passphrase / 새 키 파일 암호", confirm=True)


@pprl_app.command("encode")
def encode(
    source: Annotated[
        list[Path], typer.Argument(help="Person-list files, or one workspace folder.")
    ],
    out_file: Annotated[
        Path, typer.Option("--out", help="Exchange file to write.", dir_okay=False)
    ],
    key_file: KeyFileOpt = None,
    config: ConfigOpt = None,
    list_name: Annotated[
        str | None, typer.Option("--list", help="List name for files without a list column.")
    ] = None,
    no_hardening: Annotated[
        bool,
        typer.Option(
            "--no-hardening",
            help="Plain Bloom filters, open to frequency and pattern-mining attacks: for "
            "measurements only / 강화 끄기 (측정용).",
        ),
    ] = False,
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Encode person records into a signed exchange file holding no name, no record id and
    no unkeyed value / 이름 없는 서명된 교환 파일로 인코딩합니다.

    Examples / 예:

      unseen pprl encode interviews.csv shelter.csv --key-file ngo-a.pprlkey --out ngo-a.pprl

      unseen pprl encode ~/cases --out ngo-a.pprl     (the workspace's stored secret)

    From a workspace the map from pseudonyms to people stays in the workspace, sealed.
    """
    hardening = Hardening.off() if no_hardening else None
    schema = svc.schema_for(config, hardening=hardening)
    if len(source) == 1 and source[0].is_dir():
        with unlock(source[0], user, passphrase_file) as ws:
            secret = None
            if key_file is not None:
                secret = svc.open_keyfile(key_file, _key_passphrase(None)).secret
            with progress_bar("encoding / 인코딩") as bar:
                exchange_id, n = svc.encode_workspace(
                    ws, out_file, schema=schema, secret=secret, progress=bar
                )
    else:
        if key_file is None:
            raise InputError(
                "encoding files needs --key-file / 파일 인코딩에는 --key-file이 필요합니다"
            )
        keys = svc.open_keyfile(key_file, _key_passphrase(passphrase_file))
        with progress_bar("encoding / 인코딩") as bar:
            exchange_id, n = svc.encode_files(
                source, keys, out_file, schema=schema, list_name=list_name, progress=bar
            )
    out().print(
        f"wrote {out_file}: {n} records, exchange {exchange_id[:8]}, schema "
        f"{schema.fingerprint()} / 교환 파일을 만들었습니다"
    )
    if no_hardening:
        err().print("warning: hardening is off; do not send this file / 경고: 강화가 꺼져 있습니다")


@pprl_app.command("match")
def match(
    exchanges: Annotated[list[Path], typer.Argument(help="Exchange files of every party.")],
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for the results.", file_okay=False)
    ],
    expect_key: Annotated[
        str | None,
        typer.Option(
            "--expect-key",
            help="Fingerprint of the current linkage secret: files under another (a rotated "
            "secret) are refused / 현재 비밀키 지문.",
        ),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            help="Match probability at or above which records join. Default: the one that "
            "maximises the model's own expected F1 (no truth read; match.json says which) / "
            "기본값: 모델의 기대 F1을 최대로 하는 값."
        ),
    ] = None,
    one_to_one: Annotated[
        bool,
        typer.Option(
            "--one-to-one", help="At most one record per list in a cluster / 목록당 한 기록만."
        ),
    ] = False,
    device: Annotated[
        str,
        typer.Option(
            help="Where the candidate search runs: auto (a GPU for large searches where CuPy "
            "or PyTorch finds one; set UNSEEN_GPU=0 to keep off it), cpu, or gpu. The same "
            "pairs on each / 후보 검색 장치: auto, cpu, gpu (결과는 같습니다).",
        ),
    ] = "auto",
) -> None:
    """Match exchange files (needs no key): writes clusters.csv, pairs.csv and
    capture_histories.csv, naming records by pseudonym only / 교환 파일을 연결합니다.

    Example / 예: unseen pprl match ngo-a.pprl ngo-b.pprl --out linked/

    Each party turns the clusters back into its own records with `unseen pprl resolve`.
    """
    labels = {
        "candidates": "candidate pairs / 후보 쌍",
        "scoring": "scoring / 점수",
        "training": "training / 학습",
        "clustering": "clustering / 군집",
    }
    console = err()
    with console.status("reading / 읽는 중") as status:
        summary = svc.match_files(
            exchanges,
            out_dir,
            expect_key=expect_key,
            threshold=threshold,
            solution="one-to-one" if one_to_one else "clusters",
            device=device,
            progress=lambda stage: status.update(labels.get(stage, stage)),
        )
    out().print(
        f"{summary.records} records of {summary.parties} parties, {summary.candidate_pairs} "
        f"candidate pairs, {summary.clusters} clusters; wrote {', '.join(summary.files)} "
        "/ 연결을 마쳤습니다"
    )


@pprl_app.command("resolve")
def resolve(
    workspace: Annotated[Path, typer.Argument(help="Your workspace.", file_okay=False)],
    clusters: Annotated[Path, typer.Argument(help="clusters.csv of `unseen pprl match`.")],
    out_file: Annotated[Path, typer.Option("--out", help="CSV to write.", dir_okay=False)],
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Turn match results back into your own people (from the map kept in your workspace)
    / 연결 결과를 내 기록으로 되돌립니다.

    Example / 예: unseen pprl resolve ~/cases linked/clusters.csv --out mine.csv
    """
    with unlock(workspace, user, passphrase_file) as ws:
        n = svc.resolve_workspace(ws, clusters, out_file)
    out().print(f"wrote {out_file}: {n} of your records / 내 기록 {n}건")


@key_app.command("import")
def key_import(
    workspace: Annotated[Path, typer.Argument(help="Workspace to keep the secret in.")],
    keyfile: Annotated[Path, typer.Argument(help="Key file from `unseen pprl keygen`.")],
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Store a key file's linkage secret inside a workspace (sealed like an identity)
    / 키 파일의 비밀키를 작업 공간에 보관합니다.

    Example / 예: unseen pprl key import ~/cases ngo-a.pprlkey
    """
    keys = svc.open_keyfile(keyfile, _key_passphrase(None))
    with unlock(workspace, user, passphrase_file) as ws:
        fp = svc.import_keyfile(ws, keys)
    out().print(f"stored linkage secret {fp} / 비밀키를 보관했습니다")


@key_app.command("share")
def key_share(
    to: Annotated[Path, typer.Option("--to", help="Partner's `unseen keys recipient` file.")],
    out_file: Annotated[Path, typer.Option("--out", help="Share file to write.", dir_okay=False)],
    workspace: Annotated[
        Path | None, typer.Option("--workspace", help="Share the workspace's secret.")
    ] = None,
    key_file: KeyFileOpt = None,
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Seal the linkage secret to a partner's public key (HPKE) and sign it
    / 비밀키를 상대 기관의 공개 키로 봉인합니다.

    Example / 예: unseen pprl key share --key-file ngo-a.pprlkey --to ngo-b.pub --out for-b.share
    """
    recipient = bundle.RecipientKey.read(to)
    if (workspace is None) == (key_file is None):
        raise typer.BadParameter("give exactly one of --workspace or --key-file")
    if key_file is not None:
        keys = svc.open_keyfile(key_file, _key_passphrase(passphrase_file))
        sk = keys.signing_key
        svc.share_secret(
            keys.secret, recipient, out_file, verify_key=sk.public_key(),
            sign=lambda d: sk.sign(b"unseen/v1/statement|" + d),
        )  # fmt: skip
        fp = keys.secret.fingerprint()
    else:
        assert workspace is not None  # noqa: S101 - checked above
        with unlock(workspace, user, passphrase_file) as ws:
            secret = svc.workspace_secret(ws)
            svc.share_secret(secret, recipient, out_file, verify_key=ws.verify_key, sign=ws.sign)
            fp = secret.fingerprint()
    out().print(f"wrote {out_file}: secret {fp} sealed to {recipient.fingerprint} / 봉인했습니다")


@key_app.command("receive")
def key_receive(
    workspace: Annotated[Path, typer.Argument(help="Your workspace.")],
    share: Annotated[Path, typer.Argument(help="Share file from the partner.")],
    sender: Annotated[
        str | None, typer.Option("--sender", help="Signer fingerprint to insist on.")
    ] = None,
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Open a partner's share (sealed to this workspace) and keep the secret here
    / 상대 기관이 보낸 비밀키를 받아 보관합니다.

    Example / 예: unseen pprl key receive ~/cases for-b.share --sender 1a2b-3c4d-5e6f-7a8b
    """
    with unlock(workspace, user, passphrase_file) as ws:
        fp, signer = svc.receive_secret(ws, share, sender=sender)
    out().print(f"stored linkage secret {fp}, signed by {signer}: check it with the sender")


@key_app.command("rotate")
def key_rotate(
    target: Annotated[Path, typer.Argument(help="A key file, or a workspace folder.")],
    user: UserOpt = None,
    passphrase_file: PassFileOpt = None,
) -> None:
    """Replace the linkage secret by a new generation: exchange files under the old one are
    refused from now on / 비밀키를 교체합니다 (이전 교환 파일은 거부됨).

    Example / 예: unseen pprl key rotate ngo-a.pprlkey   then share the new secret again
    """
    if target.is_dir():
        with unlock(target, user, passphrase_file) as ws:
            new = svc.rotate_workspace_secret(ws)
        fp, gen = new.fingerprint(), new.generation
    else:
        info = svc.rotate_keyfile(target, _key_passphrase(passphrase_file))
        fp, gen = info.key_fingerprint, info.generation
    out().print(f"new linkage secret {fp} (generation {gen}); share it with every partner again")


@key_app.command("show")
def key_show(
    keyfile: Annotated[Path, typer.Argument(help="Key file.", exists=True, dir_okay=False)],
) -> None:
    """Show a key file's fingerprints (no passphrase needed, nothing secret shown)
    / 키 파일의 지문을 보여 줍니다.

    Example / 예: unseen pprl key show ngo-a.pprlkey
    """
    info = svc.keyfile_info(keyfile)
    out().print(
        f"linkage secret {info.key_fingerprint} (generation {info.generation}), "
        f"signer {info.signer}"
    )


def register(app: typer.Typer) -> None:
    pprl_app.add_typer(key_app, name="key")
    app.add_typer(pprl_app, name="pprl")
