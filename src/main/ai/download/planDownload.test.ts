import { describe, expect, it } from 'vitest';
import { planDownload, planRecommended, resolveDownloadUrl } from './planDownload';

describe('resolveDownloadUrl', () => {
  it('turns hf: URIs and Hugging Face blob pages into resolve URLs', () => {
    expect(resolveDownloadUrl('hf:Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf')).toBe(
      'https://huggingface.co/Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF/resolve/main/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf',
    );
    expect(resolveDownloadUrl('https://huggingface.co/owner/repo/blob/abc123/sub/model.gguf?download=true')).toBe(
      'https://huggingface.co/owner/repo/resolve/abc123/sub/model.gguf',
    );
    expect(resolveDownloadUrl('https://huggingface.co/owner/repo/resolve/main/model.gguf')).toBe('https://huggingface.co/owner/repo/resolve/main/model.gguf');
    expect(resolveDownloadUrl('http://127.0.0.1:8080/files/a.gguf')).toBe('http://127.0.0.1:8080/files/a.gguf');
  });

  it('says what is wrong with input it cannot use', () => {
    expect(() => resolveDownloadUrl('hf:owner/repo')).toThrow(/hf:owner\/repo\/path\/file.gguf/);
    expect(() => resolveDownloadUrl('hf:owner/repo/../x.gguf')).toThrow(/hf: URI/);
    expect(() => resolveDownloadUrl('file:///etc/passwd')).toThrow(/only http and https/);
    expect(() => resolveDownloadUrl('not a url')).toThrow(/neither a URL nor an hf:/);
  });
});

describe('planDownload', () => {
  it('names the file after the URL, or as asked, inside the models folder only', () => {
    expect(planDownload({ url: 'http://h/x/My%20Model.gguf', sha256: 'AB'.repeat(32) })).toEqual([{ url: 'http://h/x/My%20Model.gguf', file: 'My Model.gguf', sha256: 'ab'.repeat(32) }]);
    expect(planDownload({ url: 'http://h/x/a.gguf', file: 'llm/b.gguf' })[0]!.file).toBe('llm/b.gguf');
    expect(() => planDownload({ url: 'http://h/x/a.gguf', file: '../b.gguf' })).toThrow(/stay inside the models directory/);
    expect(() => planDownload({ url: 'http://h/x/a.gguf', file: '/etc/b.gguf' })).toThrow(/relative to the models directory/);
    expect(() => planDownload({ url: 'http://h/x/a.gguf', file: '.downloads/b.gguf' })).toThrow(/hidden/);
    expect(() => planDownload({ url: 'http://h/x/' })).toThrow(/names no file/);
  });

  it('expands a multi-part GGUF from any of its parts, keeping the checksum on the part named', () => {
    const sha = 'cd'.repeat(32);
    const plan = planDownload({ url: 'hf:o/r/big-Q4_K_M-00002-of-00003.gguf', sha256: sha });
    expect(plan.map((p) => p.file)).toEqual(['big-Q4_K_M-00001-of-00003.gguf', 'big-Q4_K_M-00002-of-00003.gguf', 'big-Q4_K_M-00003-of-00003.gguf']);
    expect(plan.map((p) => p.url)).toEqual([1, 2, 3].map((n) => `https://huggingface.co/o/r/resolve/main/big-Q4_K_M-0000${n}-of-00003.gguf`));
    expect(plan.map((p) => p.sha256)).toEqual([undefined, sha, undefined]);
    expect(planDownload({ url: 'http://h/m-00001-of-00002.gguf', file: 'dir/n-00001-of-00002.gguf' }).map((p) => p.file)).toEqual([
      'dir/n-00001-of-00002.gguf',
      'dir/n-00002-of-00002.gguf',
    ]);
    expect(() => planDownload({ url: 'http://h/m-00001-of-00002.gguf', file: 'single.gguf' })).toThrow(/keeps its part names/);
    expect(() => planDownload({ url: 'http://h/m-00003-of-00002.gguf' })).toThrow(/not a part/);
  });

  it('plans a recommended model, leaving unpinned sizes and hashes to the server', () => {
    const plan = planRecommended({
      id: 'm',
      name: 'M',
      kind: 'embedding',
      license: 'MIT',
      ramBytes: 1,
      description: 'd',
      files: [
        { url: 'https://huggingface.co/o/r/resolve/main/onnx/model.onnx', sizeBytes: 10, sha256: 'EF'.repeat(32), path: 'm/onnx/model.onnx' },
        { url: 'https://huggingface.co/o/r/resolve/main/tokenizer.json', sizeBytes: 0, sha256: '', path: 'm/tokenizer.json' },
      ],
    });
    expect(plan).toEqual([
      { url: 'https://huggingface.co/o/r/resolve/main/onnx/model.onnx', file: 'm/onnx/model.onnx', sha256: 'ef'.repeat(32), sizeBytes: 10 },
      { url: 'https://huggingface.co/o/r/resolve/main/tokenizer.json', file: 'm/tokenizer.json' },
    ]);
  });
});
