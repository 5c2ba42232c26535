import { posix } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { RecommendedModel } from '../../../shared/domain/models';

/** One file of a download: a plain GGUF is one, a multi-part GGUF or an ONNX model with its tokenizer several. */
export interface PlannedFile {
  url: string;
  /** Where it lands, relative to the models directory, with forward slashes. */
  file: string;
  /** Lower-case hex, when known. */
  sha256?: string;
  sizeBytes?: number;
}

export interface DownloadRequest {
  /** A Hugging Face URL, an `hf:owner/repo/path/file.gguf` URI or any http(s) URL. */
  url: string;
  /** Checked against the file the URL names (for a multi-part GGUF: that part). */
  sha256?: string;
  /** Relative to the models directory. Defaults to the last segment of the URL's path. */
  file?: string;
}

// llama.cpp's gguf-split names: model-00001-of-00003.gguf.
const partPattern = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/;

/**
 * What a user's download request means in files: the Hugging Face forms resolved to their `resolve/` URL, the
 * target name checked (it must stay inside the models directory), and every part of a multi-part GGUF.
 */
export function planDownload(request: DownloadRequest): PlannedFile[] {
  const url = resolveDownloadUrl(request.url);
  const urlName = lastSegment(url);
  const file = checkRelativeFile(request.file ?? urlName, request.file === undefined ? 'the URL' : 'file');
  const sha256 = request.sha256?.toLowerCase();

  const urlPart = partPattern.exec(urlName);
  if (!urlPart) return [{ url, file, ...(sha256 !== undefined && { sha256 }) }];

  const count = Number(urlPart[3]);
  if (count < 1 || Number(urlPart[2]) < 1 || Number(urlPart[2]) > count) {
    throw new ApiError('BAD_INPUT', `${urlName}: part ${Number(urlPart[2])} of ${count} is not a part of a multi-part GGUF.`);
  }
  const filePart = partPattern.exec(posix.basename(file));
  if (!filePart || filePart[3] !== urlPart[3]) {
    throw new ApiError('BAD_INPUT', `file "${file}": a multi-part GGUF keeps its part names; give a name ending -00001-of-${urlPart[3]}.gguf.`);
  }
  const planned: PlannedFile[] = [];
  for (let n = 1; n <= count; n++) {
    const part = String(n).padStart(5, '0');
    const partUrl = new URL(url);
    const dir = partUrl.pathname.slice(0, partUrl.pathname.lastIndexOf('/') + 1);
    partUrl.pathname = `${dir}${encodeURIComponent(`${urlPart[1]}-${part}-of-${urlPart[3]}.gguf`)}`;
    const partFile = posix.join(posix.dirname(file), `${filePart[1]}-${part}-of-${filePart[3]}.gguf`);
    const isNamedPart = part === urlPart[2];
    planned.push({ url: partUrl.toString(), file: partFile, ...(isNamedPart && sha256 !== undefined && { sha256 }) });
  }
  return planned;
}

/** A recommended model's files, each with the size and sha256 the list gives. */
export function planRecommended(model: RecommendedModel): PlannedFile[] {
  if (model.files.length === 0) throw new ApiError('BAD_INPUT', `The recommended model ${model.id} lists no files.`);
  // The list leaves sha256 '' and sizeBytes 0 where they were not pinned: then the server's size goes, unchecked.
  return model.files.map((f) => ({
    url: resolveDownloadUrl(f.url),
    file: checkRelativeFile(f.path, `recommended model ${model.id}`),
    ...(f.sha256 !== '' && { sha256: f.sha256.toLowerCase() }),
    ...(f.sizeBytes > 0 && { sizeBytes: f.sizeBytes }),
  }));
}

/**
 * `hf:owner/repo/path/file.gguf` and `https://huggingface.co/owner/repo/blob/<rev>/path` become the
 * `resolve/<rev>/path` URL that serves the bytes; other http(s) URLs pass unchanged.
 */
export function resolveDownloadUrl(input: string): string {
  const text = input.trim();
  if (/^hf:/i.test(text)) {
    const path = text.slice(3).replace(/^\/+/, '');
    const [owner, repo, ...rest] = path.split('/');
    if (!owner || !repo || rest.length === 0 || rest.some((s) => s === '' || s === '..' || s === '.')) {
      throw new ApiError('BAD_INPUT', `"${input}": an hf: URI is hf:owner/repo/path/file.gguf.`);
    }
    return `https://huggingface.co/${owner}/${repo}/resolve/main/${rest.map(encodeURIComponent).join('/')}`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ApiError('BAD_INPUT', `"${input}" is neither a URL nor an hf:owner/repo/file URI.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ApiError('BAD_INPUT', `"${input}": only http and https URLs (and hf: URIs) can be downloaded, not ${url.protocol}`);
  }
  if (url.hostname === 'huggingface.co' || url.hostname === 'hf.co') {
    const segments = url.pathname.split('/');
    // ['', owner, repo, 'blob', rev, ...path]
    if (segments[3] === 'blob' && segments.length > 5) {
      segments[3] = 'resolve';
      url.pathname = segments.join('/');
      url.search = '';
    }
  }
  return url.toString();
}

function lastSegment(url: string): string {
  const { pathname } = new URL(url);
  const raw = pathname.slice(pathname.lastIndexOf('/') + 1);
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    name = raw;
  }
  if (name === '') throw new ApiError('BAD_INPUT', `${url} names no file (its path ends with "/"); give file as well.`);
  return name;
}

/** A relative path inside the models directory, or a BAD_INPUT that says what is wrong with it. */
function checkRelativeFile(file: string, from: string): string {
  const bad = (why: string): never => {
    throw new ApiError('BAD_INPUT', `The file name from ${from}, "${file}", ${why}.`);
  };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\\:*?"<>|]/.test(file)) bad('has characters a file name cannot hold on every system');
  if (file.startsWith('/')) bad('must be relative to the models directory');
  const normal = posix.normalize(file);
  if (normal.split('/').some((s) => s === '..' || s === '.' || s.startsWith('.'))) bad('must stay inside the models directory and name no hidden file');
  if (normal.length > 255) bad('is longer than 255 characters');
  return normal;
}
