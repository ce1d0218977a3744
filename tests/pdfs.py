"""Small real PDFs with Japanese text, made in the tests (no PDF writer dependency).

The text is set in a Type0 font with Identity-H encoding and a ToUnicode map, which is what a PDF text
extractor reads; no glyphs are embedded (a viewer shows boxes), which is all the tests need.
"""

from __future__ import annotations


def _cmap(codes: dict[str, int]) -> bytes:
    entries = sorted(codes.items(), key=lambda item: item[1])
    blocks = []
    for start in range(0, len(entries), 100):
        chunk = entries[start : start + 100]
        lines = "\n".join(f"<{cid:04X}> <{ord(ch):04X}>" for ch, cid in chunk)
        blocks.append(f"{len(chunk)} beginbfchar\n{lines}\nendbfchar")
    text = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /defineresource pop\nend\nend\n"
    )
    return text.encode("ascii")


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text, read back by a PDF library, is ``lines``."""
    codes = {ch: index + 1 for index, ch in enumerate(sorted(set("".join(lines))))}
    shown = " ".join("<" + "".join(f"{codes[ch]:04X}" for ch in line) + "> Tj T*" for line in lines)
    content = f"BT /F1 11 Tf 16 TL 50 800 Td {shown} ET".encode("ascii")
    cmap = _cmap(codes)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SaiseiSample /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SaiseiSample /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 1000 >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap),
        b"<< /Type /FontDescriptor /FontName /SaiseiSample /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 "
        b"/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
