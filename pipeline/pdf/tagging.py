"""The structure tree of a tagged PDF, written into a ReportLab document.

Drawing code asks :meth:`StructureTree.mark` for a marked-content id (MCID)
each time it draws part of an element on a page, and wraps that drawing in
``/Tag <</MCID n>> BDC … EMC``; :meth:`StructureTree.write` then adds the
/StructTreeRoot, the /ParentTree and each page's /StructParents. A link's
annotations hang on its /Link element (:meth:`StructureTree.annotate`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from reportlab.pdfbase.pdfdoc import PDFDocument, PDFObject, PDFObjectReference

from ..inline import address


@dataclass(frozen=True)
class MarkedContent:
    page: int
    mcid: int


@dataclass(frozen=True)
class ObjectRef:
    """An annotation (a link's clickable area) that belongs to an element."""

    page: int
    name: str
    """The annotation's name in the ReportLab document."""


@dataclass(eq=False)
class Element:
    """One structure element (H1, P, L, LI, Lbl, LBody …) and its children in reading order."""

    tag: str
    lang: str | None = None
    children: list[Element | MarkedContent | ObjectRef] = field(default_factory=list)
    alt: str | None = None
    """The text alternative of a /Figure."""

    def add(self, tag: str, lang: str | None = None, alt: str | None = None) -> Element:
        child = Element(tag, lang, alt=alt)
        self.children.append(child)
        return child


class Formatted(PDFObject):
    """A PDF object written as text here: a leaflet has thousands of structure
    elements, and ReportLab's general object formatting is slow for them."""

    def __init__(self, text: str = "") -> None:
        self.text = text

    def format(self, document: PDFDocument) -> bytes:
        return self.text.encode("latin-1")


class StructureTree:
    """Collects elements and marked content while pages are drawn."""

    def __init__(self) -> None:
        self.root = Element("Document")
        self._pages: dict[int, list[Element]] = {}
        self.annotations: list[Element] = []
        """The element (a /Link) each annotation belongs to, in order."""

    def mark(self, element: Element, page: int) -> int:
        """A new MCID on ``page`` for content belonging to ``element``."""
        owners = self._pages.setdefault(page, [])
        owners.append(element)
        element.children.append(MarkedContent(page, len(owners) - 1))
        return len(owners) - 1

    def annotate(self, element: Element, page: int, name: str) -> int:
        """Hang annotation ``name`` on ``page`` on ``element``; returns its number, counted
        from 0 (its /StructParent is the number of pages plus this number)."""
        element.children.append(ObjectRef(page, name))
        self.annotations.append(element)
        return len(self.annotations) - 1

    def write(self, doc: PDFDocument, pages: list[PDFObjectReference]) -> PDFObjectReference:
        """Add the tree to ``doc``; returns the reference to put in the catalog."""

        def new(name: str | None = None) -> tuple[Formatted, str]:
            obj = Formatted()
            return obj, _ref(doc, doc.Reference(obj, name))

        root, root_ref = new("StructTreeRoot")
        refs: dict[int, tuple[Formatted, str]] = {}
        stack = [self.root]
        while stack:  # number the elements first: parents and kids refer to each other
            element = stack.pop()
            refs[id(element)] = new()
            stack += [c for c in reversed(element.children) if isinstance(c, Element)]
        page_refs = [_ref(doc, p) for p in pages]
        self._write(self.root, root_ref, refs, page_refs,
                    lambda name: _ref(doc, PDFObjectReference(name)))
        nums = [
            f"{page} [{' '.join(refs[id(e)][1] for e in owners)}]"
            for page, owners in sorted(self._pages.items())
        ] + [f"{len(pages) + n} {refs[id(e)][1]}" for n, e in enumerate(self.annotations)]
        parent_tree, parent_tree_ref = new()
        parent_tree.text = f"<< /Nums [{' '.join(nums)}] >>"
        root.text = (
            f"<< /Type /StructTreeRoot /K [{refs[id(self.root)][1]}] /ParentTree "
            f"{parent_tree_ref} /ParentTreeNextKey {len(pages) + len(self.annotations)} >>"
        )
        return PDFObjectReference("StructTreeRoot")

    def _write(
        self,
        element: Element,
        parent: str,
        refs: dict[int, tuple[Formatted, str]],
        pages: list[str],
        objects: Callable[[str], str],
    ) -> None:
        obj, ref = refs[id(element)]
        first_page = _first_page(element)
        kids: list[str] = []
        for child in element.children:
            if isinstance(child, MarkedContent):
                if child.page == first_page:
                    kids.append(str(child.mcid))  # a bare MCID: on the element's /Pg
                else:
                    kids.append(f"<< /Type /MCR /Pg {pages[child.page]} /MCID {child.mcid} >>")
            elif isinstance(child, ObjectRef):
                kids.append(f"<< /Type /OBJR /Pg {pages[child.page]} "
                            f"/Obj {objects(child.name)} >>")
            else:
                self._write(child, ref, refs, pages, objects)
                kids.append(refs[id(child)][1])
        parts = [f"<< /Type /StructElem /S /{element.tag} /P {parent}"]
        if element.lang:
            parts.append(f"/Lang {_string(element.lang)}")
        if element.alt is not None:
            parts.append(f"/Alt {_string(element.alt)}")
        if element.tag == "TH":  # PDF/UA: a header cell says what it heads
            parts.append("/A << /O /Table /Scope /Column >>")
        if first_page is not None:
            parts.append(f"/Pg {pages[first_page]}")
        # One kid is written bare: PDF allows it, and pdfua 0.1.3's heading rule
        # crashes on a /K array.
        parts.append(f"/K {kids[0]} >>" if len(kids) == 1 else f"/K [{' '.join(kids)}] >>")
        obj.text = " ".join(parts)


def link_annotation(rect: tuple[float, float, float, float], href: str, key: int) -> Formatted:
    """A link's clickable area: no border, printed with the page, /StructParent ``key``,
    its address as the description (/Contents) PDF/UA asks every annotation for."""
    uri = quote(href, safe="!#$%&'()*+,-./:;=?@[]_~").translate(_LITERAL)
    box = " ".join(f"{v:.2f}" for v in rect)
    return Formatted(
        f"<< /Type /Annot /Subtype /Link /Rect [{box}] /Border [0 0 0] /F 4 "
        f"/StructParent {key} /Contents {_string(address(href))} "
        f"/A << /Type /Action /S /URI /URI ({uri}) >> >>"
    )


class _GoTo(Formatted):
    """A link annotation whose destination is formatted when the document is written
    (it may be on a page not drawn yet)."""

    def __init__(self, text: str, destination: PDFObject) -> None:
        super().__init__(text)
        self.destination = destination

    def format(self, document: PDFDocument) -> bytes:
        return self.text.encode("latin-1").replace(b"@DEST@", self.destination.format(document))


def goto_annotation(
    rect: tuple[float, float, float, float], destination: PDFObject, description: str, key: int
) -> Formatted:
    """A clickable area that goes to a place in the document (a contents entry to its
    section), with /StructParent ``key`` and ``description`` as /Contents."""
    box = " ".join(f"{v:.2f}" for v in rect)
    return _GoTo(
        f"<< /Type /Annot /Subtype /Link /Rect [{box}] /Border [0 0 0] /F 4 "
        f"/StructParent {key} /Contents {_string(description)} /Dest @DEST@ >>",
        destination,
    )


_LITERAL = str.maketrans({"(": "\\(", ")": "\\)", "\\": "\\\\"})
"""Characters a PDF literal string must escape."""


def _ref(doc: PDFDocument, ref: PDFObjectReference) -> str:
    number, generation = doc.idToObjectNumberAndVersion[ref.name]
    return f"{number} {generation} R"


def _string(text: str) -> str:
    """A PDF text string: UTF-16 with a byte order mark, in hexadecimal."""
    return f"<FEFF{text.encode('utf-16-be').hex().upper()}>"


def _first_page(element: Element) -> int | None:
    for child in element.children:
        page = child.page if not isinstance(child, Element) else _first_page(child)
        if page is not None:
            return page
    return None


def bdc(tag: str, mcid: int) -> str:
    return f"/{tag} <</MCID {mcid}>> BDC"


ARTIFACT = "/Artifact <</Type /Pagination /Subtype /Footer>> BDC"
HEADER = "/Artifact <</Type /Pagination /Subtype /Header>> BDC"
LAYOUT = "/Artifact <</Type /Layout>> BDC"
"""Decoration: a picture that repeats its words, a rule, a label drawn again."""
EMC = "EMC"
