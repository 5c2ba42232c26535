import { useState, type FormEvent } from 'react';
import { connectionConfigSchema, dialects, tlsModes, type ConnectionConfigInput, type ConnectionInfo, type ConnectionSecrets, type Dialect } from '../../../../shared/domain/connection';
import { dialectFacts } from '../../../../shared/dialect/dialectFacts';
import { parseConnectionUrl } from '../../../../shared/domain/connectionUrl';
import { errorMessage } from '../../api';
import { useClient } from '../../app/ClientContext';
import { Dialog } from '../../app/Dialog';

interface ConnectionDialogProps {
  /** The connection to edit; undefined to create one. */
  existing: ConnectionInfo | undefined;
  onClose: () => void;
  onSaved: (saved: ConnectionInfo) => void;
  onDeleted: (id: string) => void;
}

interface FormState {
  name: string;
  dialect: Dialect;
  host: string;
  port: string;
  user: string;
  password: string;
  database: string;
  tls: string;
  tlsCaFile: string;
  sshEnabled: boolean;
  sshHost: string;
  sshPort: string;
  sshUser: string;
  sshAuth: 'password' | 'key';
  sshPassword: string;
  sshKeyPath: string;
  sshPassphrase: string;
  allowWrites: boolean;
  statementTimeoutS: string;
  color: string;
}

const defaultPort = (d: Dialect) => String(dialectFacts[d].defaultPort ?? '');

function fromInfo(info: ConnectionInfo | undefined): FormState {
  const c = info?.config;
  return {
    name: c?.name ?? '',
    dialect: c?.dialect ?? 'postgres',
    host: c?.host ?? (c ? '' : '127.0.0.1'),
    port: c?.port ? String(c.port) : '',
    user: c?.user ?? '',
    password: '',
    database: c?.database ?? '',
    tls: c?.tls ?? '',
    tlsCaFile: c?.tlsCaFile ?? '',
    sshEnabled: !!c?.ssh,
    sshHost: c?.ssh?.host ?? '',
    sshPort: c?.ssh?.port ? String(c.ssh.port) : '22',
    sshUser: c?.ssh?.user ?? '',
    sshAuth: c?.ssh?.auth ?? 'password',
    sshPassword: '',
    sshKeyPath: c?.ssh?.privateKeyPath ?? '',
    sshPassphrase: '',
    allowWrites: c?.allowWrites ?? false,
    statementTimeoutS: c?.statementTimeoutMs ? String(c.statementTimeoutMs / 1000) : '',
    color: c?.color ?? '',
  };
}

/** Builds config and secrets from the form; throws with the field's name when a value is wrong. */
function toConfig(f: FormState): { config: ConnectionConfigInput; secrets: ConnectionSecrets } {
  const num = (label: string, v: string) => {
    if (!v.trim()) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${label} must be a number, not "${v}".`);
    return n;
  };
  const config: ConnectionConfigInput = {
    name: f.name.trim() || (dialectFacts[f.dialect].fileBased ? f.database.split(/[\\/]/).pop() || 'SQLite' : `${f.host || 'localhost'}${f.database ? `/${f.database}` : ''}`),
    dialect: f.dialect,
    allowWrites: f.allowWrites,
  };
  if (dialectFacts[f.dialect].fileBased) {
    if (!f.database.trim()) throw new Error('Database file: give the path of the SQLite file.');
    config.database = f.database.trim();
  } else {
    if (!f.host.trim()) throw new Error('Host: give the server host name or address.');
    config.host = f.host.trim();
    const port = num('Port', f.port);
    if (port !== undefined) {
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Port must be between 1 and 65535, not ${f.port}.`);
      config.port = port;
    }
    if (f.user.trim()) config.user = f.user.trim();
    if (f.database.trim()) config.database = f.database.trim();
    if (f.tls) config.tls = f.tls as ConnectionConfigInput['tls'];
    if (f.tlsCaFile.trim()) config.tlsCaFile = f.tlsCaFile.trim();
    if (f.sshEnabled) {
      if (!f.sshHost.trim() || !f.sshUser.trim()) throw new Error('SSH tunnel: host and user are needed.');
      const sshPort = num('SSH port', f.sshPort) ?? 22;
      config.ssh = { host: f.sshHost.trim(), port: sshPort, user: f.sshUser.trim(), auth: f.sshAuth };
      if (f.sshAuth === 'key') {
        if (!f.sshKeyPath.trim()) throw new Error('SSH tunnel: give the private key path.');
        config.ssh.privateKeyPath = f.sshKeyPath.trim();
      }
    }
  }
  const timeout = num('Statement timeout', f.statementTimeoutS);
  if (timeout !== undefined) config.statementTimeoutMs = Math.round(timeout * 1000);
  if (f.color.trim()) config.color = f.color.trim();
  const parsed = connectionConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join('.') || 'Connection'}: ${issue?.message ?? 'invalid'}`);
  }
  // Secrets left empty keep what is stored (undefined); they are never shown back.
  const secrets: ConnectionSecrets = {};
  if (f.password) secrets.password = f.password;
  if (f.sshEnabled && f.sshAuth === 'password' && f.sshPassword) secrets.sshPassword = f.sshPassword;
  if (f.sshEnabled && f.sshAuth === 'key' && f.sshPassphrase) secrets.sshPassphrase = f.sshPassphrase;
  return { config, secrets };
}

/** Create, edit, test and delete a connection. Passwords are write-only: "stored" shows that one exists. */
export function ConnectionDialog({ existing, onClose, onSaved, onDeleted }: ConnectionDialogProps) {
  const client = useClient();
  const [form, setForm] = useState<FormState>(() => fromInfo(existing));
  const [url, setUrl] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>();
  const [busy, setBusy] = useState<'test' | 'save' | 'delete' | undefined>();
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));
  const readOnlyBuiltin = existing?.builtin ?? false;

  const applyUrl = () => {
    if (!url.trim()) return;
    try {
      const parsed = parseConnectionUrl(url.trim());
      const c = parsed.config;
      setForm((f) => ({
        ...f,
        dialect: c.dialect ?? f.dialect,
        host: c.host ?? '',
        port: c.port ? String(c.port) : '',
        user: c.user ?? '',
        database: c.database ?? '',
        tls: c.tls ?? '',
        tlsCaFile: c.tlsCaFile ?? f.tlsCaFile,
        password: parsed.secrets?.password ?? f.password,
        name: f.name || (c.name ?? ''),
      }));
      setMessage({ kind: 'ok', text: 'Filled the form from the URL.' });
    } catch (e) {
      setMessage({ kind: 'error', text: `URL: ${errorMessage(e)}` });
    }
  };

  const test = async () => {
    setBusy('test');
    setMessage(undefined);
    try {
      const { config, secrets } = toConfig(form);
      const result = await client.call('connections.test', existing ? { config, secrets, id: existing.id } : { config, secrets });
      setMessage({ kind: 'ok', text: `Connected: ${result.serverVersion} (${Math.round(result.latencyMs)} ms${result.readOnly ? ', read-only' : ''})` });
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(undefined);
    }
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy('save');
    setMessage(undefined);
    try {
      const { config, secrets } = toConfig(form);
      const saved = await client.call('connections.save', { ...(existing ? { id: existing.id } : {}), config, secrets });
      onSaved(saved);
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    } finally {
      setBusy(undefined);
    }
  };

  const remove = async () => {
    if (!existing) return;
    if (!window.confirm(`Delete the connection "${existing.config.name}"? Its stored password is deleted too.`)) return;
    setBusy('delete');
    try {
      await client.call('connections.delete', { id: existing.id });
      onDeleted(existing.id);
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
      setBusy(undefined);
    }
  };

  const server = !dialectFacts[form.dialect].fileBased;
  return (
    <Dialog
      title="Connection"
      onClose={onClose}
      size="large"
      footer={
        <>
          {existing && !readOnlyBuiltin && (
            <button type="button" className="danger" onClick={remove} disabled={!!busy}>
              Delete
            </button>
          )}
          <span className="spacer" />
          <button type="button" onClick={test} disabled={!!busy}>
            {busy === 'test' ? 'Testing…' : 'Test'}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="connection-form" className="primary" disabled={!!busy}>
            Save
          </button>
        </>
      }
    >
      <form id="connection-form" className="form-grid" onSubmit={save}>
        {!existing && (
          <label className="span-2">
            <span>Paste a URL</span>
            <div className="inline">
              <input
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                onBlur={applyUrl}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    applyUrl();
                  }
                }}
                placeholder="postgres://user:password@host:5432/db"
                aria-label="Connection URL"
                spellCheck={false}
              />
              <button type="button" onClick={applyUrl}>
                Fill
              </button>
            </div>
          </label>
        )}
        <label>
          <span>Name</span>
          <input value={form.name} onChange={(e) => set('name', e.target.value)} placeholder="e.g. orders-prod" />
        </label>
        <label>
          <span>Database type</span>
          <select
            value={form.dialect}
            onChange={(e) => {
              const dialect = e.target.value as Dialect;
              setForm((f) => ({ ...f, dialect, port: f.port === defaultPort(f.dialect) ? defaultPort(dialect) : f.port }));
            }}
          >
            {dialects.map((d) => (
              <option key={d} value={d}>
                {dialectFacts[d].label}
              </option>
            ))}
          </select>
        </label>
        {server ? (
          <>
            <label>
              <span>Host</span>
              <input value={form.host} onChange={(e) => set('host', e.target.value)} spellCheck={false} />
            </label>
            <label>
              <span>Port</span>
              <input value={form.port} onChange={(e) => set('port', e.target.value)} placeholder={defaultPort(form.dialect)} inputMode="numeric" />
            </label>
            <label>
              <span>User</span>
              <input value={form.user} onChange={(e) => set('user', e.target.value)} autoComplete="off" spellCheck={false} />
            </label>
            <label>
              <span>Password</span>
              <input
                type="password"
                value={form.password}
                onChange={(e) => set('password', e.target.value)}
                placeholder={existing?.hasPassword ? 'stored' : ''}
                autoComplete="new-password"
              />
            </label>
            <label>
              <span>Database</span>
              <input value={form.database} onChange={(e) => set('database', e.target.value)} spellCheck={false} />
            </label>
            <label>
              <span>TLS</span>
              <select value={form.tls} onChange={(e) => set('tls', e.target.value)}>
                <option value="">Default</option>
                {tlsModes.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </label>
            {(form.tls === 'verify-ca' || form.tls === 'verify-full' || form.tlsCaFile) && (
              <label className="span-2">
                <span>CA file</span>
                <input value={form.tlsCaFile} onChange={(e) => set('tlsCaFile', e.target.value)} placeholder="/path/to/ca.pem" spellCheck={false} />
              </label>
            )}
          </>
        ) : (
          <label className="span-2">
            <span>Database file</span>
            <input value={form.database} onChange={(e) => set('database', e.target.value)} placeholder="/path/to/file.sqlite" spellCheck={false} />
          </label>
        )}
        <label>
          <span>Statement timeout (seconds)</span>
          <input value={form.statementTimeoutS} onChange={(e) => set('statementTimeoutS', e.target.value)} placeholder="none" inputMode="decimal" />
        </label>
        <label>
          <span>Colour tag</span>
          <input value={form.color} onChange={(e) => set('color', e.target.value)} placeholder="e.g. #d33 for production" />
        </label>
        <label className="checkbox span-2">
          <input type="checkbox" checked={form.allowWrites} onChange={(e) => set('allowWrites', e.target.checked)} />
          <span>Allow writes (sessions are read-only otherwise)</span>
        </label>
        {server && (
          <fieldset className="span-2">
            <legend>
              <label className="checkbox">
                <input type="checkbox" checked={form.sshEnabled} onChange={(e) => set('sshEnabled', e.target.checked)} />
                <span>SSH tunnel</span>
              </label>
            </legend>
            {form.sshEnabled && (
              <div className="form-grid">
                <label>
                  <span>SSH host</span>
                  <input value={form.sshHost} onChange={(e) => set('sshHost', e.target.value)} spellCheck={false} />
                </label>
                <label>
                  <span>SSH port</span>
                  <input value={form.sshPort} onChange={(e) => set('sshPort', e.target.value)} inputMode="numeric" />
                </label>
                <label>
                  <span>SSH user</span>
                  <input value={form.sshUser} onChange={(e) => set('sshUser', e.target.value)} spellCheck={false} />
                </label>
                <label>
                  <span>SSH authentication</span>
                  <select value={form.sshAuth} onChange={(e) => set('sshAuth', e.target.value as 'password' | 'key')}>
                    <option value="password">Password</option>
                    <option value="key">Private key</option>
                  </select>
                </label>
                {form.sshAuth === 'password' ? (
                  <label className="span-2">
                    <span>SSH password</span>
                    <input
                      type="password"
                      value={form.sshPassword}
                      onChange={(e) => set('sshPassword', e.target.value)}
                      placeholder={existing?.hasSshPassword ? 'stored' : ''}
                      autoComplete="new-password"
                    />
                  </label>
                ) : (
                  <>
                    <label>
                      <span>Private key path</span>
                      <input value={form.sshKeyPath} onChange={(e) => set('sshKeyPath', e.target.value)} placeholder="~/.ssh/id_ed25519" spellCheck={false} />
                    </label>
                    <label>
                      <span>Key passphrase</span>
                      <input type="password" value={form.sshPassphrase} onChange={(e) => set('sshPassphrase', e.target.value)} autoComplete="new-password" />
                    </label>
                  </>
                )}
              </div>
            )}
          </fieldset>
        )}
        {message && (
          <p className={`span-2 form-message ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
            {message.text}
          </p>
        )}
      </form>
    </Dialog>
  );
}
