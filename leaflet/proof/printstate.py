"""Print-state witness: what a press or RIP does with the file beyond its text.

It reads the PDF's objects only (never the code that wrote them) and names
everything that would print differently from what was approved, or that has
no place in a print file: PDF/X-4 identification and its CMYK output profile
(checked byte by byte, and against the profile the content names), page
count and boxes, page rotation and scaling, fonts that are not embedded,
colour that is not CMYK anywhere it can be painted from (page content, Form
XObjects, patterns, Type 3 glyphs, annotation appearances, images), transfer
functions (in graphics states and their halftones), optional content whose
printing a viewer's settings decide, and annotations, actions, JavaScript and
embedded or associated files.

A screen proof (RGB, trim-size pages) is checked for everything except the
PDF/X identification, the bleed and the colour.
"""
from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.generic import BooleanObject, DictionaryObject, RectangleObject, StreamObject

from ..typeset.layout import Layout
from ..content.catalogue import DEFAULT_PROFILE, PROFILES
from .findings import Finding
from .reading import ENCRYPTED

MM = 72 / 25.4
BOX_TOLERANCE_MM = 0.5
MAX_DEPTH = 8  # Form XObjects within Form XObjects; deeper nesting is refused, not followed
PRINT_FLAG = 4  # annotation flag bit 3: the annotation prints
VIEWER_DEPENDENT = "optional content whose printing depends on the viewer's settings: a press may print it"
_HALFTONE_KEYS = frozenset({"/Type", "/HalftoneType", "/HalftoneName"})  # in a type 5 halftone, the rest are screens


@dataclass(frozen=True)
class PrintSpec:
    """What the content says the print file must be."""

    trim_mm: tuple[float, float]
    bleed_mm: float
    profile_sha256: str  # the output profile the content names, by hash
    condition: str  # its output condition identifier, e.g. FOGRA39
    pages: int = 2
    proof: bool = False  # an RGB screen proof: no PDF/X, bleed or colour requirements


def print_spec(layout: Layout, proof: bool = False) -> PrintSpec:
    """The print requirements of a laid-out edition: its format and its output profile."""
    leaflet = layout.edition.leaflet
    profile = leaflet.output or PROFILES[DEFAULT_PROFILE]
    return PrintSpec(leaflet.format.trim_mm, leaflet.format.bleed_mm,
                     hashlib.sha256(profile.path.read_bytes()).hexdigest(), profile.condition,
                     len(layout.pages), proof)


def print_state_findings(reader: PdfReader, spec: PrintSpec) -> list[Finding]:
    """Every print-state problem of the PDF, each naming its page and where on it."""
    checks: list[Callable[[PdfReader, PrintSpec], list[Finding]]] = [
        _encryption, _document_actions, _page_count, _optional_content_configuration]
    if not spec.proof:
        checks += [_pdfx_identification, _output_intent]
    findings: list[Finding] = []
    for check in checks:
        findings += _guarded(check, None, reader, spec)
    for index, page in enumerate(reader.pages):
        for page_check in (_geometry, _rotation, _annotations, _painted):
            findings += _guarded(page_check, index, page, spec, index)
    return list(dict.fromkeys(findings))  # one finding per problem and place, however often it occurs


def _guarded(check: Callable[..., list[Finding]], index: int | None, *args: Any) -> list[Finding]:
    """A damaged object makes the check a finding, never a crash: what cannot be read cannot be passed."""
    try:
        return check(*args)
    except Exception as exc:  # noqa: BLE001 - any failure to read an object is a damaged file
        return [Finding(f"part of the PDF cannot be read ({type(exc).__name__}); the file is damaged",
                        index, witness="print")]


def _finding(what: str, page: int | None = None) -> Finding:
    return Finding(what, page, witness="print")


def _get(d: Any, key: str, default: Any = None) -> Any:
    value = d.get(key) if isinstance(d, DictionaryObject) else None
    return default if value is None else value.get_object()


# --- document ---------------------------------------------------------------------

def _encryption(reader: PdfReader, spec: PrintSpec) -> list[Finding]:
    return [_finding(ENCRYPTED)] if "/Encrypt" in reader.trailer else []


def _page_count(reader: PdfReader, spec: PrintSpec) -> list[Finding]:
    count = len(reader.pages)
    if count == spec.pages:
        return []
    return [_finding(f"{count} pages; this leaflet has {spec.pages} (outside, inside)")]


def _pdfx_identification(reader: PdfReader, spec: PrintSpec) -> list[Finding]:
    findings = []
    info = _get(reader.trailer, "/Info")
    if str(_get(info, "/GTS_PDFXVersion", "")) != "PDF/X-4":
        findings.append(_finding("not identified as PDF/X-4 (GTS_PDFXVersion missing from the document info)"))
    if str(_get(info, "/Trapped", "")).lstrip("/") not in ("True", "False"):
        findings.append(_finding("Trapped is not set to True or False, as PDF/X requires"))
    metadata = _get(reader.trailer["/Root"], "/Metadata")
    xmp = metadata.get_data() if isinstance(metadata, StreamObject) else b""
    if not re.search(rb"GTS_PDFXVersion(?:>|=[\"'])\s*PDF/X-4\b", xmp):
        findings.append(_finding("not identified as PDF/X-4 in its XMP metadata (pdfxid:GTS_PDFXVersion)"))
    return findings


def _output_intent(reader: PdfReader, spec: PrintSpec) -> list[Finding]:
    intents = [i.get_object() for i in _get(reader.trailer["/Root"], "/OutputIntents", [])]
    intents = [i for i in intents if _get(i, "/S") == "/GTS_PDFX"]
    if not intents:
        return [_finding("no PDF/X output intent with an embedded CMYK profile")]
    if len(intents) > 1:
        return [_finding(f"{len(intents)} PDF/X output intents; a print file has exactly one")]
    intent = intents[0]
    stream = _get(intent, "/DestOutputProfile")
    if not isinstance(stream, StreamObject):
        return [_finding("the PDF/X output intent has no embedded profile (DestOutputProfile)")]
    try:
        profile = stream.get_data()
    except Exception:  # noqa: BLE001 - an undecodable stream is a broken profile
        return [_finding("the output-intent profile cannot be decoded: it is not a valid CMYK output profile")]
    problem = icc_problem(profile)
    if problem:
        return [_finding(f"the output-intent profile is not a valid CMYK output profile: {problem}")]
    findings = []
    digest = hashlib.sha256(profile).hexdigest()
    if digest != spec.profile_sha256:
        findings.append(_finding(f"the output-intent profile (SHA-256 {digest[:12]}…) is not the one the content "
                                 f"names, {spec.condition} (SHA-256 {spec.profile_sha256[:12]}…)"))
    condition = str(_get(intent, "/OutputConditionIdentifier", ""))
    if condition != spec.condition:
        findings.append(_finding(f"the output intent names the printing condition '{condition}'; "
                                 f"the content names '{spec.condition}'"))
    return findings


def _document_actions(reader: PdfReader, spec: PrintSpec) -> list[Finding]:
    root = reader.trailer["/Root"]
    findings = []
    opening = _get(root, "/OpenAction")
    if isinstance(opening, DictionaryObject):  # an array is only the view to open at
        findings.append(_finding(f"an action ({_action_type(opening)}) runs when the PDF is opened"))
    if _get(root, "/AA") is not None:
        findings.append(_finding("document actions (/AA) run on opening, closing, saving or printing"))
    names = _get(root, "/Names")
    if _get(names, "/JavaScript") is not None:
        findings.append(_finding("the PDF holds JavaScript (Names /JavaScript)"))
    if _get(names, "/EmbeddedFiles") is not None:
        findings.append(_finding("the PDF holds embedded files (Names /EmbeddedFiles)"))
    findings += _associated_files(root, "the document")
    if any(_get(item, "/A") is not None for item in _tree(_get(_get(root, "/Outlines"), "/First"))):
        findings.append(_finding("a bookmark runs an action (/A)"))
    form = _get(root, "/AcroForm")
    if _get(form, "/XFA") is not None:
        findings.append(_finding("the PDF holds an XFA form, whose content a viewer builds at run time"))
    if any(_get(field, "/A") is not None or _get(field, "/AA") is not None
           for field in _tree(*_get(form, "/Fields", []))):
        findings.append(_finding("a form field runs actions (/A or /AA)"))
    return findings


def _tree(*roots: Any) -> Iterator[DictionaryObject]:
    """Every dictionary of a bookmark or form-field tree (/First, /Next, /Kids), each once: a cycle ends the walk."""
    stack, seen = list(roots), set()
    while stack:
        item = stack.pop()
        item = item.get_object() if item is not None else None
        if not isinstance(item, DictionaryObject) or id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        stack += [item.get("/First"), item.get("/Next"), *_get(item, "/Kids", [])]


def _associated_files(holder: Any, where: str, page: int | None = None) -> list[Finding]:
    """Files attached through /AF (associated files), which any object may carry."""
    files = _get(holder, "/AF")
    if files is None:
        return []
    return [_finding(f"files are attached to {where} (associated files, /AF); a print file carries none", page)]


def _optional_content_configuration(reader: PdfReader, spec: PrintSpec) -> list[Finding]:
    """/AS arrays make a viewer set layers from their /Usage when it prints or views:
    what prints then depends on the viewer, not on the file's default configuration."""
    properties = _get(reader.trailer["/Root"], "/OCProperties")
    configurations = [_get(properties, "/D"), *_get(properties, "/Configs", [])]
    if any(_get(c.get_object() if c is not None else None, "/AS") is not None for c in configurations):
        return [_finding(f"{VIEWER_DEPENDENT} (an optional-content configuration has /AS)")]
    return []


def _optional_content_problem(oc: Any) -> str | None:
    """Why an optional-content group or membership (an /OC value) prints as a viewer decides, or None."""
    oc = oc.get_object() if oc is not None else None
    if not isinstance(oc, DictionaryObject):
        return None
    if oc.get("/Type") == "/OCMD":
        if _get(oc, "/VE") is not None:
            return "a membership with a visibility expression (/VE)"
        groups = _get(oc, "/OCGs", [])
        groups = groups if isinstance(groups, list) else [groups]
        return next(filter(None, map(_usage_problem, groups)), None)
    return _usage_problem(oc)


def _usage_problem(group: Any) -> str | None:
    """Print or view usage settings, which a viewer may apply when it prints: why this group depends on them."""
    group = group.get_object() if group is not None else None
    usage = _get(group, "/Usage")
    kinds = [k for k in ("/Print", "/View") if _get(usage, k) is not None]
    if _get(group, "/Type") == "/OCG" and kinds:
        return f"layer '{_get(group, '/Name', '')}' has /Usage {' and '.join(kinds)} settings"
    return None


def _action_type(action: Any) -> str:
    return str(_get(action, "/S", "unknown")).lstrip("/")


# --- the ICC profile ------------------------------------------------------------------

_ICC_HEADER = 128
_LOOKUP_TYPES = (b"mft1", b"mft2", b"mAB ", b"mBA ")
_REQUIRED_TAGS = (b"desc", b"A2B0", b"B2A0")  # a name, and the tables to and from the press colour


def icc_problem(profile: bytes) -> str | None:
    """Why these bytes are not a valid ICC output profile for CMYK, or None if they are."""
    if len(profile) < _ICC_HEADER + 4:
        return f"{len(profile)} bytes, too short for an ICC profile"
    declared = struct.unpack_from(">I", profile, 0)[0]
    if declared != len(profile):
        return f"it declares {declared} bytes but has {len(profile)}"
    if profile[36:40] != b"acsp":
        return "it has no ICC signature ('acsp')"
    if profile[8] not in (2, 4):
        return f"ICC version {profile[8]}, where PDF/X-4 accepts versions 2 and 4"
    device, space, pcs = profile[12:16], profile[16:20], profile[20:24]
    if device != b"prtr":
        return f"it is a '{_sig(device)}' profile, not an output (printer) profile"
    if space != b"CMYK":
        return f"its colour space is {_sig(space)}, not CMYK"
    if pcs not in (b"Lab ", b"XYZ "):
        return f"its connection space is '{_sig(pcs)}', not Lab or XYZ"
    if any(profile[84:100]) and profile[84:100] != _profile_id(profile):
        return "its checksum (profile ID) does not match its contents"
    return _tag_problem(profile)


def _tag_problem(profile: bytes) -> str | None:
    count = struct.unpack_from(">I", profile, _ICC_HEADER)[0]
    table_end = _ICC_HEADER + 4 + 12 * count
    if table_end > len(profile):
        return f"its tag table ({count} tags) runs past the end of the profile"
    tags = {}
    for i in range(count):
        signature, offset, size = struct.unpack_from(">4sII", profile, _ICC_HEADER + 4 + 12 * i)
        if offset < table_end or offset + size > len(profile):
            return f"its '{_sig(signature)}' tag lies outside the profile"
        tags[signature] = offset
    missing = [_sig(t) for t in _REQUIRED_TAGS if t not in tags]
    if missing:
        return f"it lacks the {', '.join(missing)} tag(s) an output profile needs"
    for tag in (b"A2B0", b"B2A0"):
        if profile[tags[tag]: tags[tag] + 4] not in _LOOKUP_TYPES:
            return f"its {_sig(tag)} tag is not a colour lookup table"
    return None


def _profile_id(profile: bytes) -> bytes:
    """The MD5 the ICC specification defines: flags, rendering intent and the ID itself set to zero."""
    data = bytearray(profile)
    data[44:48] = data[64:68] = bytes(4)
    data[84:100] = bytes(16)
    return hashlib.md5(data).digest()


def _sig(signature: bytes) -> str:
    return signature.decode("latin-1").strip() or "(blank)"


# --- each page: boxes, rotation, annotations ------------------------------------------

def _geometry(page: PageObject, spec: PrintSpec, index: int) -> list[Finding]:
    """Trim size; for print, bleed on every side within the MediaBox (a proof is trim-size, no bleed)."""
    if not spec.proof and (page.get("/TrimBox") is None or page.get("/BleedBox") is None):
        return [_finding("TrimBox or BleedBox is missing", index)]
    findings = []
    trim, media = page.trimbox, page.mediabox
    size = (float(trim.width) / MM, float(trim.height) / MM)
    if any(abs(a - b) > BOX_TOLERANCE_MM for a, b in zip(size, spec.trim_mm)):
        findings.append(_finding(f"trim is {size[0]:.1f} × {size[1]:.1f} mm, "
                                 f"expected {spec.trim_mm[0]:g} × {spec.trim_mm[1]:g} mm", index))
    if spec.proof:
        return findings
    bleed = page.bleedbox
    margins = [float(trim.left - bleed.left), float(trim.bottom - bleed.bottom),
               float(bleed.right - trim.right), float(bleed.top - trim.top)]
    if any(abs(m / MM - spec.bleed_mm) > BOX_TOLERANCE_MM for m in margins):
        findings.append(_finding(f"bleed is {', '.join(f'{m / MM:.1f}' for m in margins)} mm, "
                                 f"expected {spec.bleed_mm:g} mm on every side", index))
    if not _inside(bleed, media):
        findings.append(_finding("the BleedBox reaches outside the MediaBox", index))
    if page.get("/CropBox") is not None and not _inside(bleed, page.cropbox):
        findings.append(_finding("the CropBox cuts into the bleed: the page would print cropped", index))
    return findings


def _inside(inner: RectangleObject, outer: RectangleObject) -> bool:
    return bool(outer.left <= inner.left and outer.bottom <= inner.bottom and outer.right >= inner.right
            and outer.top >= inner.top)


def _rotation(page: PageObject, spec: PrintSpec, index: int) -> list[Finding]:
    """/Rotate and /UserUnit as they apply to the page: its own, or inherited from the page tree."""
    findings = []
    rotate, unit = _inherited(page, "/Rotate"), _inherited(page, "/UserUnit")
    if rotate is not None and float(rotate) != 0:
        findings.append(_finding(f"the page is rotated (/Rotate {rotate}); a print page must not be", index))
    if unit is not None and float(unit) != 1:
        findings.append(_finding(f"the page is scaled (/UserUnit {unit}); a print page must not be", index))
    return findings


def _inherited(page: PageObject, key: str) -> Any:
    node = page
    for _ in range(64):  # the page tree is shallow; a cycle in /Parent must not loop
        if not isinstance(node, DictionaryObject):
            return None
        if node.get(key) is not None:
            return _get(node, key)
        node = _get(node, "/Parent")
    return None


def _annotations(page: PageObject, spec: PrintSpec, index: int) -> list[Finding]:
    findings = []
    if _get(page, "/AA") is not None:
        findings.append(_finding("page actions (/AA) run when the page is opened or closed", index))
    findings += _associated_files(page, "the page", index)
    for annotation in _get(page, "/Annots", []):
        annotation = annotation.get_object()
        kind = str(_get(annotation, "/Subtype", "/unknown")).lstrip("/")
        findings += _associated_files(annotation, f"a {kind} annotation", index)
        problem = _optional_content_problem(annotation.get("/OC"))
        if problem:
            findings.append(_finding(f"{VIEWER_DEPENDENT} ({problem}, a {kind} annotation)", index))
        if int(_get(annotation, "/F", 0)) & PRINT_FLAG:
            findings.append(_finding(f"a printable {kind} annotation; a print file must have none", index))
        if kind == "FileAttachment":
            findings.append(_finding("an embedded file (FileAttachment annotation)", index))
        action = _get(annotation, "/A")
        if action is not None:
            findings.append(_finding(f"a {kind} annotation runs an action ({_action_type(action)})", index))
        if _get(annotation, "/AA") is not None:
            findings.append(_finding(f"a {kind} annotation has actions (/AA)", index))
    return findings


# --- each page: what is painted (fonts and colour) ---------------------------------------

def _painted(page: PageObject, spec: PrintSpec, index: int) -> list[Finding]:
    """Fonts and colour in everything the page can paint from: its content, and every annotation appearance."""
    scan = _Scan(index, colour=not spec.proof)
    resources = _get(page, "/Resources")
    scan.group(page, "the page")
    contents = page.get_contents()
    scan.content(contents.get_data() if contents is not None else b"", resources, "the page content", 0)
    for annotation in _get(page, "/Annots", []):
        annotation = annotation.get_object()
        kind = str(_get(annotation, "/Subtype", "/unknown")).lstrip("/")
        for appearance in _appearance_streams(_get(annotation, "/AP")):
            scan.form(appearance, None, f"the appearance of a {kind} annotation", 0)
    return scan.findings


def _appearance_streams(ap: Any) -> list[StreamObject]:
    """The normal, rollover and down appearances: each a stream or a dictionary of state streams."""
    streams = []
    for key in ("/N", "/R", "/D"):
        value = _get(ap, key)
        if isinstance(value, StreamObject):
            streams.append(value)
        elif isinstance(value, DictionaryObject):
            streams += [v.get_object() for v in value.values() if isinstance(v.get_object(), StreamObject)]
    return streams


_TOKEN = re.compile(rb"""(?:\s|%[^\r\n]*)*   # white space and comments before the token
  ( \((?:[^()\\]|\\.)*\)                  # a literal string without nested parentheses
  | <<|>>|[\[\]{}]
  | <[0-9A-Fa-f\s]*>                         # a hex string
  | /[^\s()<>\[\]{}/%]*                      # a name
  | [^\s()<>\[\]{}/%]+                       # a number or an operator
  | \S )                                     # a nested string's "(", or a stray delimiter
""", re.VERBOSE | re.DOTALL)
_OPERAND_START = frozenset(b"/([<{0123456789+-.")  # names, strings, arrays, dictionaries, numbers
_END_OF_IMAGE = re.compile(rb"\sEI(?=\s|$)")
_DEVICE_OPERATORS = {b"rg": "DeviceRGB", b"RG": "DeviceRGB", b"g": "DeviceGray", b"G": "DeviceGray"}
_CHECKED_OPERATORS = frozenset(_DEVICE_OPERATORS) | {b"cs", b"CS", b"sh", b"scn", b"SCN", b"Do", b"gs", b"BDC"}
_INLINE_NAMES = {"/G": "/DeviceGray", "/RGB": "/DeviceRGB", "/CMYK": "/DeviceCMYK", "/I": "/Indexed"}


class _Lexer:
    """The tokens of a content stream, strings collapsed to b'(' (their text does not matter
    here); `pos` can be moved past the binary data of an inline image."""

    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def __iter__(self) -> Iterator[bytes]:
        data = self.data
        while self.pos < len(data):
            for match in _TOKEN.finditer(data, self.pos):
                self.pos = match.end()
                token = match.group(1)
                if token == b"(":  # a string with nested parentheses: find its end, then go on after it
                    self.pos = _string_end(data, match.start(1))
                    yield b"("
                    break
                if token in (b")", b">"):
                    continue  # a stray delimiter: readers skip it too
                yield b"(" if token[:1] == b"(" or (token[:1] == b"<" and token != b"<<") else token
                if self.pos != match.end():
                    break  # moved on by the reader, past inline image data
            else:
                return


def _name(token: bytes) -> str:
    """A name operand as resource dictionaries spell it: #xx escapes decoded (/Lumirix#20Teal)."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), token).decode("latin-1")


def _string_end(data: bytes, pos: int) -> int:
    """The end of a literal string with nested parentheses."""
    depth, i = 0, pos
    while i < len(data):
        c = data[i]
        if c == 0x5C:  # backslash escapes the next byte
            i += 1
        elif c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(data)


class _Scan:
    """One page's walk through content streams and the resources they use, each stream once."""

    def __init__(self, page: int, colour: bool):
        self.page = page
        self.colour = colour
        self.findings: list[Finding] = []
        self.seen: set[int] = set()

    def add(self, what: str) -> None:
        self.findings.append(_finding(what, self.page))

    def content(self, data: bytes, resources: Any, place: str, depth: int) -> None:
        self.fonts(resources, place, depth)
        operand = b""  # the last operand: the only one the operators checked here need
        lexer = _Lexer(data)
        tokens = iter(lexer)
        for token in tokens:
            if token[0] in _OPERAND_START or token in (b"]", b">>", b"}", b"true", b"false", b"null"):
                operand = token
                continue
            if token == b"BI":
                self.inline_image(lexer, tokens, resources, place)
            elif token in _CHECKED_OPERATORS:
                self.operator(token, _name(operand), resources, place, depth)
            operand = b""

    def operator(self, op: bytes, name: str, resources: Any, place: str, depth: int) -> None:
        if op in _DEVICE_OPERATORS and self.colour:
            self.add(f"{_DEVICE_OPERATORS[op]} colour ({op.decode()}) in {place}; print colour is CMYK only")
        elif op in (b"cs", b"CS") and self.colour:
            self.space(name, resources, f"colour space {name} ({op.decode()}) in {place}", image=False)
        elif op == b"sh" and self.colour:
            shading = _get(_get(resources, "/Shading"), name)
            self.space(_get(shading, "/ColorSpace"), resources, f"shading {name} in {place}", image=False)
        elif op in (b"scn", b"SCN") and name.startswith("/"):
            self.pattern(name, resources, place, depth)
        elif op == b"Do":
            self.xobject(name, resources, place, depth)
        elif op == b"gs":
            self.graphics_state(name, resources, place, depth)
        elif op == b"BDC":  # marked content: /OC names an optional-content group or membership
            self.optional(_get(_get(resources, "/Properties"), name), f"marked content {name} in {place}")

    def optional(self, oc: Any, where: str) -> None:
        problem = _optional_content_problem(oc)
        if problem:
            self.add(f"{VIEWER_DEPENDENT} ({problem}, {where})")

    def graphics_state(self, name: str, resources: Any, place: str, depth: int) -> None:
        """Transfer functions remap ink on the press (black text can print white), in the
        state itself or in its halftone; PDF/X forbids both. A state may also set the font."""
        state = _get(_get(resources, "/ExtGState"), name)
        if _get(state, "/TR", "/Identity") != "/Identity" or _get(state, "/TR2", "/Default") != "/Default":
            self.add(f"graphics state {name} in {place} sets a transfer function, which remaps printed ink")
        if _halftone_transfer(_get(state, "/HT")):
            self.add(f"the halftone of graphics state {name} in {place} has a transfer function, which remaps "
                     "printed ink")
        font = _get(state, "/Font")
        if isinstance(font, list) and font:
            self.font(name, font[0].get_object(), resources, f"graphics state {name} in {place}", depth)

    def space(self, space: Any, resources: Any, what: str, image: bool) -> None:
        problem = _space_problem(space, resources, image) if self.colour else None
        if problem:
            rule = "images must be CMYK or grey" if image else "print colour is CMYK only"
            self.add(f"{what} is {problem}; {rule}")

    def pattern(self, name: str, resources: Any, place: str, depth: int) -> None:
        pattern = _get(_get(resources, "/Pattern"), name)
        if isinstance(pattern, StreamObject):  # a tiling pattern paints content of its own
            self.form(pattern, resources, f"pattern {name} in {place}", depth + 1)
        elif isinstance(pattern, DictionaryObject) and self.colour:
            shading = _get(pattern, "/Shading")
            self.space(_get(shading, "/ColorSpace"), resources, f"shading pattern {name} in {place}", image=False)

    def xobject(self, name: str, resources: Any, place: str, depth: int) -> None:
        xobject = _get(_get(resources, "/XObject"), name)
        if not isinstance(xobject, StreamObject):
            return
        self.findings += _associated_files(xobject, f"XObject {name} in {place}", self.page)
        self.optional(xobject.get("/OC"), f"XObject {name} in {place}")
        if xobject.get("/Subtype") == "/Image":
            self.image(xobject, resources, f"image {name} in {place}")
        else:
            inside = "" if place == "the page content" else f" in {place}"
            self.form(xobject, resources, f"Form XObject {name}{inside}", depth + 1)

    def form(self, stream: Any, resources: Any, place: str, depth: int) -> None:
        if id(stream) in self.seen:
            return
        self.seen.add(id(stream))
        if depth > MAX_DEPTH:
            self.add(f"{place} is nested more than {MAX_DEPTH} deep and cannot be checked")
            return
        self.group(stream, place)
        self.content(stream.get_data(), _get(stream, "/Resources", resources), place, depth)

    def group(self, holder: Any, place: str) -> None:
        """A transparency group's blending space is the colour transparency is computed in."""
        group = _get(holder, "/Group")
        if isinstance(group, DictionaryObject) and group.get("/CS") is not None:
            self.space(_get(group, "/CS"), None, f"the transparency blending space of {place}", image=True)

    def image(self, image: Any, resources: Any, what: str) -> None:
        if _get(image, "/ImageMask") == BooleanObject(True):
            return  # a stencil: painted in the current colour, which is checked where it is set
        if image.get("/ColorSpace") is None and self.colour:
            self.add(f"{what} does not state its colour space; images must be CMYK or grey")
            return
        self.space(_get(image, "/ColorSpace"), resources, what, image=True)

    def inline_image(self, lexer: _Lexer, tokens: Any, resources: Any, place: str) -> None:
        """BI <dictionary> ID <data> EI: read the dictionary, then skip the binary data. The first
        EI ends it, as early as any reader could: whatever a reader paints after it is scanned."""
        entries: list[bytes] = []
        for token in tokens:
            if token == b"ID":
                break
            entries.append(token)
        else:
            return
        end = _END_OF_IMAGE.search(lexer.data, lexer.pos)
        lexer.pos = end.end() if end else len(lexer.data)
        keys = [t.decode("latin-1") for t in entries]
        if "/IM" in keys and keys[keys.index("/IM") + 1:][:1] == ["true"]:
            return
        for key in ("/CS", "/ColorSpace"):
            if key in keys:
                value = [_INLINE_NAMES.get(k, k) for k in keys[keys.index(key) + 1:]] or ["(none)"]
                space = value[1:value.index("]")] if value[0] == "[" and "]" in value else value[0]
                self.space(space, resources, f"an inline image in {place}", image=True)
                return
        if self.colour:
            self.add(f"an inline image in {place} does not state its colour space; images must be CMYK or grey")

    def fonts(self, resources: Any, place: str, depth: int) -> None:
        for name, font in (_get(resources, "/Font") or {}).items():
            self.font(name, font.get_object(), resources, place, depth)

    def font(self, name: str, font: Any, resources: Any, place: str, depth: int) -> None:
        if not isinstance(font, DictionaryObject) or id(font) in self.seen:
            return
        self.seen.add(id(font))
        if font.get("/Subtype") == "/Type3":  # glyphs drawn by content streams of their own
            for glyph, proc in (_get(font, "/CharProcs") or {}).items():
                self.form(proc.get_object(), _get(font, "/Resources", resources),
                          f"glyph {glyph} of Type 3 font {name} in {place}", depth + 1)
        elif not _embedded(font):
            self.add(f"font {font.get('/BaseFont')} is not embedded (in {place})")


def _halftone_transfer(halftone: Any, depth: int = 0) -> bool:
    """Whether a halftone, or any screen of a type 5 halftone, has a TransferFunction."""
    if not isinstance(halftone, DictionaryObject) or depth > 1:  # type 5 screens are not type 5 themselves
        return False
    if _get(halftone, "/TransferFunction", "/Identity") != "/Identity":
        return True
    return int(_get(halftone, "/HalftoneType", 0)) == 5 and any(
        _halftone_transfer(_get(halftone, key), depth + 1) for key in halftone if key not in _HALFTONE_KEYS)


def _embedded(font: Any) -> bool:
    descriptor = _get(font, "/FontDescriptor")
    if font.get("/Subtype") == "/Type0":
        descendants = _get(font, "/DescendantFonts") or []
        descriptor = _get(descendants[0].get_object(), "/FontDescriptor") if descendants else None
    return isinstance(descriptor, DictionaryObject) and any(
        k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def _space_problem(space: Any, resources: Any, image: bool, depth: int = 0) -> str | None:
    """What is wrong with a colour space for print, or None: CMYK, spot colours with a CMYK
    alternate, patterns (checked where they are defined) and, for images only, grey."""
    if depth > MAX_DEPTH:
        return "a colour space defined in terms of itself"
    if isinstance(space, list) and len(space) == 1:  # pypdf's ArrayObject, or an inline image's list
        space = space[0]
    space = space.get_object() if hasattr(space, "get_object") else space
    if isinstance(space, str):
        if space in ("/DeviceCMYK", "/Pattern") or (image and space == "/DeviceGray"):
            return None
        if space in ("/DeviceRGB", "/DeviceGray"):
            return space.lstrip("/")
        named = _get(_get(resources, "/ColorSpace"), space)
        return f"undefined ({space})" if named is None else _space_problem(named, resources, image, depth + 1)
    if not isinstance(space, list) or not space:
        return "not a colour space"
    family = str(space[0].get_object() if hasattr(space[0], "get_object") else space[0])
    parts = [p.get_object() if hasattr(p, "get_object") else p for p in space]
    if family == "/ICCBased":
        components = int(_get(parts[1], "/N", 0))
        return None if components == 4 or (image and components == 1) else f"ICCBased with {components} components"
    if family in ("/Indexed", "/I"):
        return _space_problem(parts[1], resources, image, depth + 1)
    if family == "/Pattern":
        return _space_problem(parts[1], resources, image, depth + 1) if len(parts) > 1 else None
    if family in ("/Separation", "/DeviceN"):
        alternate = parts[2] if len(parts) > 2 else None
        return None if alternate == "/DeviceCMYK" else f"{family.lstrip('/')} without a DeviceCMYK alternate"
    if family == "/CalGray" and image:
        return None
    return family.lstrip("/")
