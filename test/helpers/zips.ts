import yazl from 'yazl';

/** One entry of a zip built for a test: deflated unless `store`. */
export interface TestZipEntry {
  name: string;
  data: string | Buffer;
  store?: boolean;
}

/** A real zip (yazl) of `entries`, in this order. */
export async function makeZip(entries: TestZipEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(Buffer.from(e.data), e.name, { compress: !e.store, mtime: new Date('2026-11-01T00:00:00Z') });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>';
const RELS = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>';

/** The entries of a minimal but real DOCX: content types, package relationships, the main part. */
export function docxEntries(text = 'Notulen rapat'): TestZipEntry[] {
  return [
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: '_rels/.rels', data: RELS },
    { name: 'word/document.xml', data: `<w:document><w:body><w:p><w:r><w:t>${text}</w:t></w:r></w:p></w:body></w:document>` },
  ];
}

/** The entries of a minimal but real ODF document of `type` (`mimetype` first and stored). */
export function odfEntries(type = 'application/vnd.oasis.opendocument.text'): TestZipEntry[] {
  return [
    { name: 'mimetype', data: type, store: true },
    { name: 'content.xml', data: '<office:document-content/>' },
    { name: 'META-INF/manifest.xml', data: '<manifest:manifest/>' },
  ];
}
