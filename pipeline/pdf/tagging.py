"""The structure tree of a tagged PDF, written into a ReportLab document.

Drawing code asks :meth:`StructureTree.mark` for a marked-content id (MCID)
each time it draws part of an element on a page, and wraps that drawing in
``/Tag <</MCID n>> BDC … EMC``; :meth:`StructureTree.write` then adds the
/StructTreeRoot, the /ParentTree and each page's /StructParents.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFName,
    PDFObjectReference,
    PDFString,
)


@dataclass(frozen=True)
class MarkedContent:
    page: int
    mcid: int


@dataclass(eq=False)
class Element:
    """One structure element (H1, P, L, LI, Lbl, LBody …) and its children in reading order."""

    tag: str
    lang: str | None = None
    children: list[Element | MarkedContent] = field(default_factory=list)

    def add(self, tag: str, lang: str | None = None) -> Element:
        child = Element(tag, lang)
        self.children.append(child)
        return child


class StructureTree:
    """Collects elements and marked content while pages are drawn."""

    def __init__(self) -> None:
        self.root = Element("Document")
        self._pages: dict[int, list[Element]] = {}

    def mark(self, element: Element, page: int) -> int:
        """A new MCID on ``page`` for content belonging to ``element``."""
        owners = self._pages.setdefault(page, [])
        owners.append(element)
        element.children.append(MarkedContent(page, len(owners) - 1))
        return len(owners) - 1

    def write(self, doc: PDFDocument, pages: list[PDFObjectReference]) -> PDFObjectReference:
        """Add the tree to ``doc``; returns the reference to put in the catalog."""
        root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
        root_ref = doc.Reference(root, "StructTreeRoot")
        refs: dict[int, PDFObjectReference] = {}
        document_ref = self._write(self.root, root_ref, doc, pages, refs)
        nums: list[object] = []
        for page in sorted(self._pages):
            nums += [page, PDFArray([refs[id(e)] for e in self._pages[page]])]
        root["K"] = PDFArray([document_ref])
        root["ParentTree"] = doc.Reference(PDFDictionary({"Nums": PDFArray(nums)}))
        root["ParentTreeNextKey"] = len(pages)
        return root_ref

    def _write(
        self,
        element: Element,
        parent: PDFObjectReference,
        doc: PDFDocument,
        pages: list[PDFObjectReference],
        refs: dict[int, PDFObjectReference],
    ) -> PDFObjectReference:
        node = PDFDictionary({"Type": PDFName("StructElem"), "S": PDFName(element.tag)})
        ref = doc.Reference(node)
        refs[id(element)] = ref
        node["P"] = parent
        if element.lang:
            node["Lang"] = PDFString(element.lang)
        first_page = _first_page(element)
        if first_page is not None:
            node["Pg"] = pages[first_page]
        kids: list[object] = []
        for child in element.children:
            if isinstance(child, MarkedContent):
                if child.page == first_page:
                    kids.append(child.mcid)  # a bare MCID: on the element's /Pg
                else:
                    kids.append(
                        PDFDictionary(
                            {"Type": PDFName("MCR"), "Pg": pages[child.page], "MCID": child.mcid}
                        )
                    )
            else:
                kids.append(self._write(child, ref, doc, pages, refs))
        # One kid is written bare: PDF allows it, and pdfua 0.1.3's heading rule
        # crashes on a /K array.
        node["K"] = kids[0] if len(kids) == 1 else PDFArray(kids)
        return ref


def _first_page(element: Element) -> int | None:
    for child in element.children:
        page = child.page if isinstance(child, MarkedContent) else _first_page(child)
        if page is not None:
            return page
    return None


def bdc(tag: str, mcid: int) -> str:
    return f"/{tag} <</MCID {mcid}>> BDC"


def actual_text_span(text: str, mcid: int | None = None) -> str:
    """A /Span giving the real text of lossy glyphs (ligatures, reordered marks, RTL)."""
    number = "" if mcid is None else f"/MCID {mcid} "
    return f"/Span <<{number}/ActualText <FEFF{text.encode('utf-16-be').hex().upper()}>>> BDC"


ARTIFACT = "/Artifact <</Type /Pagination /Subtype /Footer>> BDC"
EMC = "EMC"
