"""Finish the print PDF as PDF/X-4: the OutputIntent with its embedded CMYK
profile, XMP metadata with the PDF/X identification, Trapped, and matching
document information. ReportLab writes none of these, so they are added with
pypdf after rendering. Nothing here reads the clock: dates come from the
content's date of preparation, and the file ID from what the file contains.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import cast

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (ArrayObject, ByteStringObject, DecodedStreamObject, DictionaryObject, NameObject,
                           NumberObject, TextStringObject)

from .. import __version__
from ..content.model import OutputProfile

REGISTRY = "http://www.color.org"


def finish_pdfx4(data: bytes, title: str, date_of_preparation: dt.date, profile: OutputProfile) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.pdf_header = b"%PDF-1.6"
    digest = hashlib.sha256(data + profile.path.read_bytes()).hexdigest()
    stamp = date_of_preparation.strftime("%Y%m%d000000Z")
    iso = date_of_preparation.strftime("%Y-%m-%dT00:00:00Z")
    writer._root_object[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(_intent(writer, profile))])
    writer.add_metadata({
        "/Title": title,
        "/Creator": f"leaflet {__version__}",
        "/Producer": f"leaflet {__version__} (ReportLab, pypdf)",
        "/CreationDate": f"D:{stamp}",
        "/ModDate": f"D:{stamp}",
        "/GTS_PDFXVersion": "PDF/X-4",
    })
    info = writer._info
    assert info is not None  # add_metadata made it
    cast(DictionaryObject, info.get_object())[NameObject("/Trapped")] = NameObject("/False")
    writer._root_object[NameObject("/Metadata")] = writer._add_object(_xmp(title, iso, digest))
    writer._ID = ArrayObject([ByteStringObject(bytes.fromhex(digest[:32]))] * 2)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _intent(writer: PdfWriter, profile: OutputProfile) -> DictionaryObject:
    icc = DecodedStreamObject()
    icc.set_data(profile.path.read_bytes())
    icc[NameObject("/N")] = NumberObject(4)
    encoded = icc.flate_encode()
    return DictionaryObject({
        NameObject("/Type"): NameObject("/OutputIntent"),
        NameObject("/S"): NameObject("/GTS_PDFX"),
        NameObject("/OutputConditionIdentifier"): TextStringObject(profile.condition),
        NameObject("/OutputCondition"): TextStringObject(profile.description),
        NameObject("/RegistryName"): TextStringObject(REGISTRY),
        NameObject("/Info"): TextStringObject(profile.description),
        NameObject("/DestOutputProfile"): writer._add_object(encoded),
    })


def _xmp(title: str, iso_date: str, digest: str) -> DecodedStreamObject:
    uuid = f"uuid:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
    title = title.replace("&", "&amp;").replace("<", "&lt;")
    xml = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <xmp:CreateDate>{iso_date}</xmp:CreateDate>
   <xmp:ModifyDate>{iso_date}</xmp:ModifyDate>
   <xmp:MetadataDate>{iso_date}</xmp:MetadataDate>
   <xmp:CreatorTool>leaflet {__version__}</xmp:CreatorTool>
   <pdf:Producer>leaflet {__version__} (ReportLab, pypdf)</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>
   <xmpMM:DocumentID>{uuid}</xmpMM:DocumentID>
   <xmpMM:InstanceID>{uuid}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    stream = DecodedStreamObject()
    stream.set_data(xml.encode("utf-8"))
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    return stream
