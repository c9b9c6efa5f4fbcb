"""Korean and English strings of the web app: one catalog, keyed by a short name.

A Python mapping, not gettext .po/.mo files: the app has a few dozen strings and two languages,
and a missing key fails a test (tests/web) instead of showing the key. Korean is the default; the
language chosen is kept in the ``lang`` cookie.
"""

from __future__ import annotations

from types import MappingProxyType

LANGUAGES = ("ko", "en")
DEFAULT = "ko"
COOKIE = "lang"

_CATALOG: dict[str, tuple[str, str]] = {  # key: (Korean, English)
    "app": ("언씬", "unseen"),
    "tagline": ("기록되지 않은 피해를 기록합니다", "Recording the abuses no record shows"),
    "login": ("로그인", "Sign in"),
    "logout": ("로그아웃", "Sign out"),
    "user": ("사용자 이름", "User name"),
    "passphrase": ("암호", "Passphrase"),
    "login_failed": (
        "사용자 이름이나 암호가 틀렸습니다.",
        "Wrong user name or passphrase.",
    ),
    "locked": (
        "실패가 너무 많아 계정이 잠겼습니다. 15분 뒤에 다시 하거나 관리자에게 연락하십시오.",
        "Too many failed attempts: the account is locked. Try again in 15 minutes or ask an admin.",
    ),
    "totp": ("인증 코드", "Authentication code"),
    "totp_help": (
        "인증 앱에 보이는 6자리 코드를 입력하십시오.",
        "Type the 6-digit code your authenticator app shows.",
    ),
    "totp_enrol": (
        "처음 로그인합니다. 인증 앱(Aegis, FreeOTP 등)에 아래 비밀 키를 추가한 뒤 "
        "코드를 입력하십시오.",
        "First sign-in: add this secret key to an authenticator app (Aegis, FreeOTP, ...), "
        "then type its code.",
    ),
    "totp_secret": ("비밀 키", "Secret key"),
    "totp_failed": ("코드가 틀렸거나 이미 사용되었습니다.", "Wrong or already used code."),
    "continue": ("계속", "Continue"),
    "home": ("처음", "Home"),
    "intake": ("증언 입력", "New testimony"),
    "search": ("사람 찾기", "Find a person"),
    "review": ("검토 대기열", "Review queue"),
    "language": ("언어", "Language"),
    "signed_in_as": ("로그인:", "Signed in as"),
    "role": ("역할", "Role"),
    "name_hangul": ("이름 (한글)", "Name (Hangul)"),
    "name_latin": ("이름 (로마자)", "Name (Latin letters)"),
    "sex": ("성별", "Sex"),
    "sex_F": ("여", "Female"),
    "sex_M": ("남", "Male"),
    "sex_unknown": ("모름", "Unknown"),
    "birth_date": ("출생일", "Date of birth"),
    "violation": ("위반 유형", "Violation"),
    "none": ("없음", "None"),
    "event_date": ("언제", "When"),
    "date_help": (
        "말하는 대로 쓰십시오: 2010년 봄, 1985년경, 2000년대 후반",
        "As people say it: spring 2010, about 1985, late 2000s",
    ),
    "event_place": ("어디서", "Where"),
    "place_help": (
        "중국이나 북한의 지명, 어떤 문자로든: 연길, Yanji, 延吉",
        "A place in China or North Korea, in any script: 연길, Yanji, 延吉",
    ),
    "narrative": ("증언 내용", "Testimony"),
    "interviewee": ("증언자", "Interviewee"),
    "testimony_language": ("증언 언어", "Language of the testimony"),
    "consent": ("동의", "Consent"),
    "consent_help": (
        "본인이 허락한 용도만 하나씩 고르십시오. 하나를 골라도 다른 용도는 포함되지 않습니다.",
        "Tick only the uses she allowed, each one: no use includes another.",
    ),
    "consent_internal": ("우리 단체 안에서 사용", "Use within our organisation"),
    "consent_partner": ("아래 협력 기관과 공유", "Share with the partners named below"),
    "consent_un": ("유엔 기구와 공유", "Share with UN mechanisms"),
    "consent_public": ("공개 (공개 전 식별 방지 처리)", "Publication (after disclosure control)"),
    "partners": ("협력 기관 (쉼표로 구분)", "Partner organisations (comma-separated)"),
    "save": ("저장", "Save"),
    "saved": ("저장했습니다.", "Saved."),
    "understood_as": ("이렇게 이해했습니다:", "Understood as:"),
    "place_matched": ("지명 사전에서 찾음:", "Found in the gazetteer:"),
    "place_text_only": (
        "지명 사전에서 찾지 못해 글로만 저장했습니다.",
        "Not found in the gazetteer: kept as text only.",
    ),
    "find": ("찾기", "Find"),
    "name": ("이름", "Name"),
    "place": ("장소", "Place"),
    "year": ("연도", "Year"),
    "results": ("결과", "Results"),
    "found_n": ("명 찾음", "found"),
    "sealed": ("(봉인됨)", "(sealed)"),
    "record": ("레코드", "Record"),
    "list": ("명단", "List"),
    "born": ("출생", "Born"),
    "violations": ("위반", "Violations"),
    "person": ("사람", "Person"),
    "identity": ("신원", "Identity"),
    "attributes": ("속성", "Attributes"),
    "acts": ("행위", "Acts"),
    "date": ("날짜", "Date"),
    "versions": ("버전", "Versions"),
    "author": ("작성자", "Written by"),
    "edit": ("고치기", "Edit"),
    "edit_help": (
        "저장하면 새 버전이 생기고 이전 버전은 그대로 남습니다.",
        "Saving makes a new version; the earlier ones are kept.",
    ),
    "identity_sealed": (
        "이 사람의 신원은 이 계정에 보이지 않습니다.",
        "This person's identity is sealed from your account.",
    ),
    "no_pairs": ("검토할 쌍이 없습니다.", "No pairs to review."),
    "probability": ("일치 확률", "Match probability"),
    "field": ("항목", "Field"),
    "left": ("왼쪽", "Left"),
    "right": ("오른쪽", "Right"),
    "decision_match": ("같은 사람 (m)", "Same person (m)"),
    "decision_non-match": ("다른 사람 (n)", "Different people (n)"),
    "decision_unsure": ("모르겠음 (u)", "Unsure (u)"),
    "decided": ("결정을 저장했습니다.", "Decision saved."),
    "error": ("오류", "Error"),
    "admin": ("계정 관리", "Accounts"),
    "failures": ("실패 횟수", "Failures"),
    "locked_col": ("잠김", "Locked"),
    "yes": ("예", "yes"),
    "unlock": ("잠금 해제", "Unlock"),
    "reset_totp": ("인증 앱 초기화", "Reset authenticator"),
    "unlocked": ("잠금을 풀었습니다.", "Unlocked."),
    "second_factor_reset": (
        "인증 앱을 초기화했습니다. 다음 로그인 때 다시 등록합니다.",
        "Authenticator reset: it is set up again at the next sign-in.",
    ),
    "grant": ("출처 열람 허가", "Grant a source"),
    "grant_help": (
        "기록원이 다른 사람이 입력한 출처의 신원을 볼 수 있게 합니다.",
        "Let a documenter see the identities of a source someone else entered.",
    ),
    "granted": ("허가했습니다.", "Granted."),
    "source_id": ("출처 번호", "Source id"),
    "forbidden": ("이 계정으로는 할 수 없습니다.", "Your account may not do this."),
    "not_found": ("찾을 수 없습니다.", "Not found."),
    "estimates": ("추정", "Estimates"),
    "estimates_help": (
        "기록되지 않은 사람까지 포함한 전체 규모의 추정입니다. 보고서와 같은 숫자이며 작은 "
        "수는 공개 기준에 따라 가려집니다.",
        "How many people there are in all, documented or not: the report's numbers, after its "
        "disclosure control.",
    ),
    "scope": ("범위", "Scope"),
    "scope_internal": ("내부 (모든 사람)", "Internal (everyone)"),
    "scope_partner": ("협력 기관 (동의한 사람만)", "A partner (people who consented)"),
    "scope_un": ("유엔 (동의한 사람만)", "UN (people who consented)"),
    "scope_public": ("공개 (동의한 사람만)", "Public (people who consented)"),
    "partner": ("협력 기관 이름", "Partner organisation"),
    "show": ("보기", "Show"),
    "documented": ("기록된 사람", "People documented"),
    "left_out": ("동의 범위로 제외", "Left out by consent"),
    "estimated": ("추정 전체", "Estimated in all"),
    "interval": ("구간", "Interval"),
    "method": ("방법", "Method"),
    "group": ("집단", "Group"),
    "truth": ("실제 (모의)", "True (simulation)"),
    "unbounded": ("상한 없음", "no upper bound"),
    "not_estimable": ("추정 불가", "not estimable"),
    "no_estimate": ("추정 없음", "No estimate"),
    "made_at": ("계산 시각 (UTC)", "Computed at (UTC)"),
    "make_again": ("다시 계산", "Compute again"),
    "download": ("보고서 내려받기", "Download the report"),
    "download_help": (
        "이 범위의 전체 보고서(표, 지도, 추정, 법적 근거, 방법)입니다. 파일은 외부에서 "
        "아무것도 불러오지 않습니다.",
        "The whole report for this scope (tables, maps, estimates, legal framing, methods). "
        "The file loads nothing from anywhere.",
    ),
    "linked": ("연결된 레코드", "Linked records"),
    "linked_help": (
        "최근 연결 실행이 같은 사람으로 본 다른 레코드입니다.",
        "Other records the latest linkage run found to be the same person.",
    ),
    "add_more": ("행위·관계·증거 추가", "Add acts, relationships, evidence"),
    "add_act": ("행위 추가", "Add an act"),
    "add_act_help": (
        "같은 사건의 다른 행위이면 사건을 고르고, 아니면 날짜와 장소를 쓰십시오.",
        "Pick the event if it is another act of the same event; else give its date and place.",
    ),
    "event": ("사건", "Event"),
    "new_event": ("새 사건", "A new event"),
    "perpetrator_type": ("가해자 유형", "Perpetrator type"),
    "perpetrator_name": ("가해자 이름 (알면)", "Perpetrator's name (if known)"),
    "perpetrator_role": ("가담 형태", "Involvement"),
    "involvement_direct": ("직접 실행", "Carried it out"),
    "involvement_ordered": ("지시", "Ordered it"),
    "involvement_instigated": ("교사", "Instigated it"),
    "involvement_assisted": ("방조·협력", "Assisted"),
    "involvement_omission": ("보호 의무 불이행", "Failed to act when bound to"),
    "involvement_unknown": ("모름", "Unknown"),
    "add_relationship": ("관계 추가", "Add a relationship"),
    "relationship_help": (
        "어머니나 자녀는 레코드 번호나 이름으로, 구매자나 브로커는 유형과 (알면) 이름으로 씁니다.",
        "A mother or child: her record id or a name. A buyer or broker: the type and, if known, "
        "a name.",
    ),
    "relationship": ("관계", "Relationship"),
    "rel_mother_of": ("이 사람이 어머니", "She is the mother of"),
    "rel_child_of": ("이 사람이 자녀", "She is the child of"),
    "rel_sold_to": ("이 사람을 산 사람 (구매자)", "She was sold to (buyer)"),
    "rel_brokered_by": ("이 사람을 옮기거나 판 브로커", "Brokered by"),
    "rel_broker_of": ("브로커로서 옮기거나 판 사람", "Brokered"),
    "other_id": ("상대 레코드 번호", "The other's record id"),
    "relationships": ("관계", "Relationships"),
    "add_evidence": ("증거 파일 추가", "Add an evidence file"),
    "evidence_help": (
        "파일은 암호화해 저장하고 해시를 남깁니다. 사진(JPEG, PNG)의 위치·기기·시각 정보는 "
        "지웁니다. 다른 형식은 일부러 보존할 때만 저장됩니다.",
        "Files are stored encrypted, with their hash. Photos (JPEG, PNG) lose their position, "
        "device and time data; other types are stored only when kept on purpose.",
    ),
    "file": ("파일", "File"),
    "description": ("설명", "Description"),
    "keep_metadata": (
        "메타데이터를 일부러 보존 (위치 정보가 남을 수 있음)",
        "Keep the metadata on purpose (it may hold a position)",
    ),
    "evidence": ("증거 파일", "Evidence files"),
    "evidence_saved": ("증거 파일을 저장했습니다.", "Evidence file saved."),
    "consents": ("동의", "Consents"),
    "version": ("버전", "Version"),
    "source": ("출처 (증언)", "Source (testimony)"),
    "source_sealed": (
        "이 출처의 증언자와 내용은 이 계정에 보이지 않습니다.",
        "This source's interviewee and narrative are sealed from your account.",
    ),
    "src_interviewee": ("증언자", "Interviewee"),
    "src_narrative": ("증언 내용", "Narrative"),
    "src_author": ("작성자", "Author"),
    "src_title": ("제목", "Title"),
    "src_notes": ("메모", "Notes"),
    "date_given": ("증언한 날", "Date given"),
    "source_saved": ("출처의 새 버전을 저장했습니다.", "New version of the source saved."),
    "size": ("크기 (바이트)", "Size (bytes)"),
    "given": ("동의일", "Given"),
    "withdrawn_on": ("철회일", "Withdrawn"),
    "withdraw": ("오늘 철회", "Withdraw today"),
    "withdrawn": ("동의 철회를 기록했습니다.", "Withdrawal recorded."),
    "session_expired": (
        "세션이 끝났습니다. 다시 로그인하십시오.",
        "Your session has ended: please sign in again.",
    ),
    # -- record edit: events, acts, perpetrators, relationships; past versions of every kind --
    "kind_event": ("사건", "Event"),
    "kind_act": ("행위", "Act"),
    "kind_perpetrator": ("가해자", "Perpetrator"),
    "kind_relationship": ("관계", "Relationship"),
    "kind_consent": ("동의", "Consent"),
    "kind_evidence": ("증거 파일 기록", "Evidence file record"),
    "kind_involvement": ("가담", "Involvement"),
    "related": ("연결된 기록", "Linked records"),
    "related_event": ("사건", "Event"),
    "related_act": ("행위", "Act"),
    "related_victim": ("피해자", "Victim"),
    "related_perpetrator": ("가해자", "Perpetrator"),
    "related_involvement": ("가담 (유형, 형태)", "Involvement (type, role)"),
    "related_relationship": ("관계", "Relationship"),
    "related_person": ("한쪽", "One end"),
    "related_other": ("다른 쪽", "Other end"),
    "record_sealed": (
        "이 기록의 이름과 설명은 이 계정에 보이지 않습니다.",
        "This record's name and description are sealed from your account.",
    ),
    "record_edit_help": (
        "저장하면 새 버전이 되고 이전 버전은 그대로 남습니다. 날짜는 말하는 대로 쓸 수 "
        '있습니다 ("2010년 봄", "about 1998").',
        "Saving writes a new version; the earlier ones stay. Type dates as people say them "
        '("2010년 봄", "about 1998").',
    ),
    "delete": ("삭제", "Delete"),
    "delete_confirm": ("이 기록을 삭제합니다", "Yes, delete this record"),
    "delete_help_event": (
        "사건과 그 행위들이 더 이상 쪽, 집계, 연결, 보고서에 나오지 않습니다. 이전 버전은 "
        "기록에 남습니다.",
        "The event and its acts leave the pages, counts, linkage and reports; every earlier "
        "version stays in the history.",
    ),
    "delete_help_act": (
        "행위와 그 가담 기록이 더 이상 쪽, 집계, 연결, 보고서에 나오지 않습니다. 이전 버전은 "
        "기록에 남습니다.",
        "The act and its involvements leave the pages, counts, linkage and reports; every "
        "earlier version stays in the history.",
    ),
    "delete_help_perpetrator": (
        "가해자 기록과 그 관계가 사라지고, 행위에는 가해자 유형만 남습니다. 이전 버전은 "
        "기록에 남습니다.",
        "The perpetrator and its relationships go; its acts keep the perpetrator type only. "
        "Every earlier version stays in the history.",
    ),
    "delete_help_relationship": (
        "관계가 더 이상 쪽과 연결에 나오지 않습니다. 이전 버전은 기록에 남습니다.",
        "The relationship leaves the pages and linkage; every earlier version stays in the "
        "history.",
    ),
    "record_saved": ("새 버전을 저장했습니다.", "New version saved."),
    "record_unchanged": (
        "바뀐 것이 없어 새 버전을 쓰지 않았습니다.",
        "Nothing changed: no new version written.",
    ),
    "record_deleted": (
        "삭제했습니다. 이전 버전은 기록에 남아 있습니다.",
        "Deleted; its earlier versions stay in the history.",
    ),
    "version_deleted": ("삭제 표시 버전", "Deleted (tombstone version)"),
    "sealed_name": ("이름", "Name"),
    "sealed_aliases": ("다른 이름", "Other names"),
    "sealed_notes": ("메모", "Notes"),
    "sealed_title": ("제목", "Title"),
    "sealed_description": ("설명", "Description"),
    "sealed_original_filename": ("원래 파일 이름", "Original file name"),
    "source_records": (
        "이 출처의 사건·행위·가해자·관계",
        "Events, acts, perpetrators, relationships",
    ),
    "history_link": ("이력", "History"),
    # -- end of record edit --
    # -- consents and users (issue 8: consent beyond intake, user management) --
    "new_consent": ("새 동의 기록", "Record a new consent"),
    "new_consent_help": (
        "새 동의는 지금 효력이 있는 이 사람의 동의를 끝냅니다 (그날 철회로 기록). 가장 최근의 "
        "동의가 보고서에 적용됩니다. 철회 후 다시 동의하면 여기에 기록하십시오.",
        "A new consent ends her consents still in force (withdrawn on its day): the newest one "
        "is what reports count. After a withdrawal, record a new consent here.",
    ),
    "consent_given_on": ("동의일 (YYYY-MM-DD, 비우면 오늘)", "Given on (YYYY-MM-DD, empty: today)"),
    "consent_file": ("서명한 동의서 (선택)", "Signed consent form (optional)"),
    "consent_form_col": ("동의서", "Form"),
    "attach_form": ("동의서 올리기", "Attach the form"),
    "consent_saved": ("동의를 기록했습니다.", "The consent was recorded."),
    "consent_form_saved": ("동의서를 저장했습니다.", "The consent form was stored."),
    "users": ("사용자", "Users"),
    "add_user": ("사용자 추가", "Add a user"),
    "add_user_help": (
        "암호를 비워 두면 만들어 한 번만 보여 줍니다. 새 사용자는 첫 로그인 때 인증 앱을 "
        "등록합니다.",
        "Leave the passphrase empty to have one made and shown once. The new user enrols her "
        "authenticator app at her first sign-in.",
    ),
    "passphrase_optional": (
        "암호 (12자 이상, 선택)",
        "Passphrase (12 characters or more, optional)",
    ),
    "remove_user": ("삭제", "Remove"),
    "change_role": ("역할 변경", "Change role"),
    "change_role_help": (
        "역할은 사용자의 암호로 잠긴 키 슬롯에 들어 있어, 역할을 바꾸면 새 암호가 필요합니다 "
        "(비우면 만들어 드립니다). 그 사용자의 로그인은 모두 끝납니다.",
        "A role is sealed in the user's keyslot under her passphrase, so a new role needs a new "
        "passphrase (empty: one is made). Her open sessions end.",
    ),
    "passphrase_once": (
        "이 암호는 지금 한 번만 보입니다. 안전한 방법으로 전달하십시오:",
        "This passphrase is shown this once. Hand it over safely:",
    ),
    "user_added": ("사용자를 추가했습니다.", "The user was added."),
    "user_removed": (
        "사용자를 삭제했습니다. 로그인은 모두 끝났습니다.",
        "The user was removed; her sessions ended.",
    ),
    "role_changed": (
        "역할을 바꿨습니다. 그 사용자의 로그인은 모두 끝났습니다.",
        "The role was changed; her sessions ended.",
    ),
    # -- end of consents and users --
    # Report options and report jobs (estimates page)
    "report_options": ("공개 설정", "Disclosure options"),
    "threshold": ("최소 인원", "Smallest cell"),
    "threshold_help": (
        "이보다 적은 사람의 칸은 공개하지 않습니다 (1 이상, 기본 5)",
        "Publish no cell of fewer people than this (1 or more; 5 by default)",
    ),
    "round_to": ("반올림 단위", "Round to"),
    "round_help": (
        "모든 수를 이 수의 배수로 반올림합니다 (2 이상, 예: 5). 비우면 반올림하지 않습니다",
        "Round every count to a multiple of this (2 or more, e.g. 5); empty: no rounding",
    ),
    "epsilon": ("차등 프라이버시 ε", "Differential privacy ε"),
    "epsilon_help": (
        "표마다의 프라이버시 예산 (0.001 이상, 예: 1.0; 작을수록 더 안전하고 더 흐립니다). "
        "비우면 정확한 수입니다",
        "Privacy budget per table (0.001 or more, e.g. 1.0; smaller is more private and "
        "noisier); empty: exact counts",
    ),
    "report_running": ("보고서를 만드는 중입니다", "The report is being made"),
    "report_running_help": (
        "이 페이지는 스스로 다시 열립니다. 그동안 다른 일을 하셔도 됩니다",
        "This page reloads by itself; you can go on working meanwhile",
    ),
    "report_stage": ("단계", "Stage"),
    "reload": ("다시 보기", "Reload"),
}
CATALOG = MappingProxyType(_CATALOG)

# Record fields shown on the person and review pages (the store's attribute and identity keys).
FIELDS = MappingProxyType(
    {
        "family_name": ("성", "Family name"),
        "given_name": ("이름", "Given name"),
        "full_name": ("전체 이름", "Full name"),
        "name_hangul": ("한글 이름", "Name in Hangul"),
        "name_hanzi": ("한자 이름", "Name in Hanzi"),
        "aliases": ("다른 이름", "Other names"),
        "birth_date": ("출생일", "Date of birth"),
        "notes": ("메모", "Notes"),
        "sex": ("성별", "Sex"),
        "birth_year_range": ("출생 연도", "Birth years"),
        "nationality": ("국적", "Nationality"),
        "stateless": ("무국적", "Stateless"),
        "origin_place_id": ("출신지 (사전)", "Origin (gazetteer)"),
        "origin_place_text": ("출신지", "Origin"),
        "china_place_id": ("중국 거주지 (사전)", "Place in China (gazetteer)"),
        "china_place_text": ("중국 거주지", "Place in China"),
        "first_exit_date": ("첫 탈북일", "First exit"),
        "source_id": ("출처", "Source"),
        "source_record_id": ("명단 번호", "Id in the list"),
        "list_name": ("명단", "List"),
    }
)


def pick(lang: str | None, accept_language: str | None = None) -> str:
    """The language to answer in: the cookie's, else English if the browser asks for it first."""
    if lang in LANGUAGES:
        return lang
    if accept_language and accept_language.strip().lower().startswith("en"):
        return "en"
    return DEFAULT


def field_label(name: str, lang: str) -> str:
    """A record field's label; an unknown field (a list's own column) shows as it is named."""
    if name not in FIELDS:
        return name
    ko, en = FIELDS[name]
    return ko if lang == "ko" else en


def translate(key: str, lang: str) -> str:
    ko, en = CATALOG[key]
    return ko if lang == "ko" else en
