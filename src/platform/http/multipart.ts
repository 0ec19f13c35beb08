import fastifyMultipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Forms with a file input post multipart/form-data. The parts are read as they stream in
 * (@fastify/multipart on busboy): text fields land in `req.body` as strings, like a url-encoded
 * post, so CSRF checks and handlers stay the same; each file becomes an `UploadedFile`.
 * A file is read only up to the limit its route allows for that field (`config.uploadLimit`):
 * past it, the rest is drained unread so the fields after it still arrive and the person keeps
 * everything typed, and the file is marked `tooLarge`. A route without `uploadLimit` takes no files.
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    /** Largest accepted size in bytes for a file posted in `fieldName`, or undefined to refuse it. */
    uploadLimit?: (req: FastifyRequest, fieldName: string) => number | undefined;
  }
}

export class UploadedFile {
  constructor(
    readonly fieldName: string,
    /** As the browser sent it: never trusted, never used as a path. */
    readonly declaredName: string,
    readonly declaredType: string,
    readonly bytes: Buffer,
    readonly tooLarge: boolean,
    /** The limit that applied (bytes); 0 when the field takes no file. */
    readonly limit: number,
  ) {}

  /** A file input left empty: browsers still send the part, with no name and no bytes. */
  get empty(): boolean {
    return this.bytes.length === 0 && this.declaredName === '' && !this.tooLarge;
  }
}

export async function registerMultipart(app: FastifyInstance, options: { maxFileBytes: number; maxFiles: number }): Promise<void> {
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    // Busboy's own limits are the last line: no part larger than the largest service allows.
    limits: { fileSize: options.maxFileBytes + 1, files: options.maxFiles, fields: 300, fieldSize: 100 * 1024, parts: 400, headerPairs: 100 },
    throwFileSizeLimit: false,
    async onFile(this: FastifyRequest, part: MultipartFile) {
      const limit = this.routeOptions.config.uploadLimit?.(this, part.fieldname) ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      for await (const chunk of part.file as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limit) tooLarge = true;
        else chunks.push(chunk);
      }
      if (part.file.truncated) tooLarge = true;
      (part as unknown as { value: unknown }).value = new UploadedFile(part.fieldname, part.filename ?? '', part.mimetype ?? '', tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge, limit);
    },
  });
}
