import type { FastifyReply } from 'fastify';

/**
 * Sends bytes as a download, never for display: `attachment` with the name in RFC 6266/5987 form
 * (an ASCII fallback plus the UTF-8 name), no caching, no sniffing, and a sandbox in case a
 * browser shows it anyway (a PDF or image from outside must not run script on our origin).
 */
export function sendAttachment(reply: FastifyReply, file: { fileName: string; contentType: string; bytes: Uint8Array }): FastifyReply {
  const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .header('content-security-policy', "sandbox; default-src 'none'")
    .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
}
