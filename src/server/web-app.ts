import type { FastifyInstance } from 'fastify';

/**
 * Where the built browser app (web/dist) comes from. The server never touches files itself: `enrich serve`
 * (src/cli/web-assets.ts) passes a reader over the directory; tests can pass files from memory.
 */
export interface WebAssets {
  /** The bytes of a file of the built app by its path relative to the app root (`index.html`, `assets/x.js`), or undefined. */
  read(path: string): Promise<Uint8Array | undefined>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  json: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  woff2: 'font/woff2',
};

/** The app's pages may load only what comes from this origin (no inline scripts; React sets style attributes). */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>enrich</title></head>
<body><main><h1>The enrich browser app is not built</h1><p>Run <code>npm run build:web</code> (or <code>npm ci</code>) and reload. The HTTP API is at <a href="/api/openapi.json">/api/openapi.json</a>.</p></main></body></html>`;

/** A safe relative path inside the app root, or undefined for anything that could climb out of it. */
function assetPath(url: string): string | undefined {
  const pathname = url.split('?')[0]?.split('#')[0] ?? '/';
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment === '.' || segment.includes('\\'))) {
    return undefined;
  }
  return segments.join('/');
}

/**
 * Serves the browser app from the same origin as the API: `GET /` and every path that is not a file of
 * the app answer `index.html` (the app routes in the browser), files under `assets/` are cached for a
 * year (their names carry a content hash), `/api/...` paths that match no route stay JSON 404s.
 * Registered by {@link buildApp} when `deps.webAssets` is given; the route is public and kept out of the
 * OpenAPI document.
 */
export function registerWebApp(app: FastifyInstance, assets: WebAssets): void {
  app.get('/*', { config: { public: true } }, async (request, reply) => {
    const path = assetPath(request.url);
    if (path === 'api' || path?.startsWith('api/')) return reply.callNotFound();
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    const extension = path?.includes('.') ? path.slice(path.lastIndexOf('.') + 1).toLowerCase() : '';
    if (path !== undefined && path !== '' && extension !== '') {
      const file = await assets.read(path);
      if (file !== undefined) {
        reply.header(
          'cache-control',
          path.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
        if (extension === 'html') reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
        return reply.type(CONTENT_TYPES[extension] ?? 'application/octet-stream').send(Buffer.from(file));
      }
      // A missing file (not a page of the app): a plain 404 rather than the app's HTML.
      if (extension !== 'html') return reply.code(404).type('text/plain; charset=utf-8').send('not found');
    }
    const index = await assets.read('index.html');
    reply.header('cache-control', 'no-cache');
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.type(CONTENT_TYPES.html as string);
    return index === undefined ? reply.send(NOT_BUILT) : reply.send(Buffer.from(index));
  });
}
