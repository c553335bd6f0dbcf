import type { NextConfig } from "next";

const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "same-origin" },
];

const crossOriginIsolation = [
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Cross-Origin-Embedder-Policy", value: "credentialless" },
];

const config: NextConfig = {
  poweredByHeader: false,
  // Native modules stay outside the server bundle.
  serverExternalPackages: ["better-sqlite3", "sharp"],
  // Uploads are streamed by route handlers; this caps server actions only.
  experimental: { serverActions: { bodySizeLimit: "2mb" } },
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // Editor pages are cross-origin isolated so onnxruntime-web can use wasm threads
      // (SharedArrayBuffer). "credentialless" (not require-corp) keeps cross-origin media loading.
      { source: "/tasks/:path*", headers: crossOriginIsolation },
      // The batch pre-labeller runs the same models (ADR 0017).
      { source: "/projects/:id/prelabel", headers: crossOriginIsolation },
      // Workers started by an isolated page (the waveform and pre-labelling workers, and
      // onnxruntime's own thread workers) must be served with a compatible COEP, or they fail to load.
      { source: "/_next/static/:path*", headers: [crossOriginIsolation[1]!] },
      { source: "/ort/:path*", headers: [crossOriginIsolation[1]!] },
    ];
  },
};

export default config;
