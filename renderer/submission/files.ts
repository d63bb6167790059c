// Small helpers of the 上报 screens: files in and out of the browser host, times and amounts as shown.
import { groupThousands } from '../amounts.js';

/** The bytes of a file the user picked, in base64 (the browser host's upload). */
export function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(new Error(`无法读取文件“${file.name}”`));
    reader.onload = () => {
      const url = String(reader.result ?? '');
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.readAsDataURL(file);
  });
}

/** Offers bytes (base64) as a download (the browser host). */
export function downloadBase64(base64: string, fileName: string, type: string): void {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([bytes], { type }));
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-11-30 14:05" in the local time of this machine. */
export function showTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** An exact amount with thousands separators, never rounded (a diff must show every 分). */
export function showExact(exact: string | null | undefined): string {
  if (exact === null || exact === undefined || exact === '') return '';
  return /^-?\d+(\.\d+)?$/.test(exact) ? groupThousands(exact) : exact;
}

export function showSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(Math.round((bytes / 1024 / 1024) * 10) / 10).toString()} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
