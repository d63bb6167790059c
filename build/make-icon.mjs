#!/usr/bin/env node
// Draws the app icon and writes build/icon.png (512×512) and build/icon.ico (16…256, PNG-compressed entries,
// as Windows Vista and later read them). No image tools needed: shapes are rasterised here with 4×4
// supersampling and written with a minimal PNG encoder.  Run: node build/make-icon.mjs
//
// The picture: a ledger sheet (header band, ruled rows and columns, a total row) on a blue tile, and a red
// seal carrying 预 (drawn from strokes) at sizes where it can still be read.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT = dirname(fileURLToPath(import.meta.url));

// ---- shapes in a 512-unit square; each is a coverage test for a point ------------------------------------

const roundRect = (x0, y0, x1, y1, r) => ({
  box: [x0, y0, x1, y1],
  inside(x, y) {
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= x0 && x <= x1 && y >= y0 && y <= y1;
  },
});
const rect = (x0, y0, x1, y1) => roundRect(x0, y0, x1, y1, 0);
const circle = (cx, cy, r) => ({
  box: [cx - r, cy - r, cx + r, cy + r],
  inside: (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r,
});
/** A stroke of width w through points (round joins and caps). */
const stroke = (w, ...pts) => {
  const segs = [];
  for (let i = 0; i + 1 < pts.length; i++) segs.push([pts[i], pts[i + 1]]);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const h = w / 2;
  return {
    box: [Math.min(...xs) - h, Math.min(...ys) - h, Math.max(...xs) + h, Math.max(...ys) + h],
    inside(x, y) {
      return segs.some(([[ax, ay], [bx, by]]) => {
        const dx = bx - ax;
        const dy = by - ay;
        const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy || 1)));
        return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= h * h;
      });
    },
  };
};

const BLUE = [31, 78, 140, 255];
const PAPER = [250, 250, 246, 255];
const RULE = [160, 178, 204, 255];
const HEADER = [214, 226, 243, 255];
const TOTAL = [255, 232, 190, 255];
const RED = [200, 40, 40, 255];
const WHITE = [255, 255, 255, 255];

/** 预 in a 100-unit box placed at (ox, oy) with size s: 予 on the left, 页 on the right. */
function yuGlyph(ox, oy, s, w) {
  const p = (x, y) => [ox + (x * s) / 100, oy + (y * s) / 100];
  const sw = (w * s) / 100;
  return [
    stroke(sw, p(8, 14), p(40, 14), p(24, 30)), // 乛
    stroke(sw, p(25, 31), p(34, 39)), // 丶
    stroke(sw, p(4, 46), p(46, 46), p(38, 56)), // 乛
    stroke(sw, p(26, 46), p(26, 88), p(17, 82)), // 亅
    stroke(sw, p(52, 12), p(96, 12)), // 一
    stroke(sw, p(74, 12), p(68, 24)), // 丿
    stroke(sw, p(57, 26), p(57, 66)), // 贝: left
    stroke(sw, p(57, 26), p(91, 26), p(91, 66)), // top and right
    stroke(sw, p(74, 36), p(74, 62)), // inner stroke
    stroke(sw, p(70, 70), p(54, 90)), // 丿
    stroke(sw, p(80, 70), p(96, 88)), // 丶
  ];
}

function layers(size) {
  const ledger = [
    [roundRect(16, 16, 496, 496, 96), BLUE],
    [roundRect(84, 92, 428, 432, 18), PAPER],
    [rect(84, 92, 428, 152), HEADER],
    [rect(84, 372, 428, 432), TOTAL],
  ];
  const rules = [];
  for (const y of [152, 212, 272, 332, 372]) rules.push([rect(84, y - 3, 428, y + 3), RULE]);
  for (const x of [200, 314]) rules.push([rect(x - 3, 92, x + 3, 432), RULE]);
  if (size < 48) return [...ledger, ...rules];
  const seal = [[circle(392, 392, 100), WHITE], [circle(392, 392, 88), RED], ...yuGlyph(334, 334, 116, 12).map((s) => [s, WHITE])];
  return [...ledger, ...rules, ...seal];
}

// ---- rasteriser ---------------------------------------------------------------------------------------

function render(size) {
  const scale = 512 / size;
  const shapes = layers(size);
  const px = new Float64Array(size * size * 4);
  const N = 4;
  for (const [shape, [r, g, b, a]] of shapes) {
    const [bx0, by0, bx1, by1] = shape.box;
    const x0 = Math.max(0, Math.floor(bx0 / scale));
    const y0 = Math.max(0, Math.floor(by0 / scale));
    const x1 = Math.min(size - 1, Math.ceil(bx1 / scale));
    const y1 = Math.min(size - 1, Math.ceil(by1 / scale));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        let hits = 0;
        for (let sy = 0; sy < N; sy++) {
          for (let sx = 0; sx < N; sx++) {
            if (shape.inside((x + (sx + 0.5) / N) * scale, (y + (sy + 0.5) / N) * scale)) hits++;
          }
        }
        if (hits === 0) continue;
        // "Over" compositing with premultiplied accumulation.
        const alpha = (hits / (N * N)) * (a / 255);
        const i = (y * size + x) * 4;
        px[i] = r * alpha + px[i] * (1 - alpha);
        px[i + 1] = g * alpha + px[i + 1] * (1 - alpha);
        px[i + 2] = b * alpha + px[i + 2] * (1 - alpha);
        px[i + 3] = 255 * alpha + px[i + 3] * (1 - alpha);
      }
    }
  }
  const out = Buffer.alloc(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const a = px[i * 4 + 3];
    for (let c = 0; c < 3; c++) out[i * 4 + c] = a > 0 ? Math.round(Math.min(255, (px[i * 4 + c] * 255) / a)) : 0;
    out[i * 4 + 3] = Math.round(a);
  }
  return out;
}

// ---- PNG and ICO --------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export function encodePng(rgba, size) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function encodeIco(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const e = Buffer.alloc(16);
    e[0] = size >= 256 ? 0 : size;
    e[1] = size >= 256 ? 0 : size;
    e.writeUInt16LE(1, 4); // planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(png.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += png.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

const png512 = encodePng(render(512), 512);
writeFileSync(join(OUT, 'icon.png'), png512);
const ico = encodeIco([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: encodePng(render(size), size) })));
writeFileSync(join(OUT, 'icon.ico'), ico);
process.stdout.write(`build/icon.png ${png512.length} 字节，build/icon.ico ${ico.length} 字节\n`);
