/**
 * Policies from the loaded baseline: a seccomp profile, Kubernetes NetworkPolicy, AppArmor profile or Falco
 * rules, made by the same code as `imprint export` (the server reads the saved file, so what is shown is
 * what the CLI would print), previewed with its caveats, copied or saved into the workspace.
 */
import { useEffect, useState } from 'react';
import { POLICY_TARGETS, type PolicyText } from '../../../common/api.js';
import { api } from '../api/instance.js';
import { useBaseline } from '../store/baseline-store.js';

type Target = (typeof POLICY_TARGETS)[number];

const TARGETS: Record<Target, { label: string; file: string }> = {
  seccomp: { label: 'seccomp profile (Docker, Kubernetes)', file: 'seccomp.json' },
  networkpolicy: { label: 'Kubernetes NetworkPolicy', file: 'networkpolicy.yaml' },
  apparmor: { label: 'AppArmor profile', file: 'apparmor' },
  falco: { label: 'Falco rules', file: 'falco.yaml' },
};

/** `shop.baseline.yaml` + seccomp + cache → `shop.cache.seccomp.json`, beside the baseline. */
export function policyFileName(baselinePath: string, to: Target, service: string): string {
  const stem = baselinePath.replace(/(\.baseline)?\.ya?ml$/i, '');
  return `${stem}${service ? `.${service}` : ''}.${TARGETS[to].file}`;
}

export function PolicyExport() {
  const loaded = useBaseline((s) => s.loaded);
  const services = loaded ? Object.keys(loaded.baseline.services).sort() : [];
  const [to, setTo] = useState<Target>('networkpolicy');
  const [service, setService] = useState('');
  const [policy, setPolicy] = useState<PolicyText>();
  const [error, setError] = useState<string>();
  const [out, setOut] = useState('');
  const [replace, setReplace] = useState(false);
  const [saved, setSaved] = useState<string>();
  // A seccomp profile is one container's: with several services one must be chosen.
  const needsService = to === 'seccomp' && services.length > 1;
  const chosen = needsService && !service ? services[0]! : service;

  useEffect(() => {
    setPolicy(undefined); setError(undefined); setSaved(undefined);
    if (!loaded) return;
    setOut(policyFileName(loaded.path, to, chosen));
    let current = true;
    api().call('policy.preview', { baseline: loaded.path, to, ...(chosen ? { service: chosen } : {}) })
      .then((p) => { if (current) setPolicy(p); }, (e: Error) => { if (current) setError(e.message); });
    return () => { current = false; };
  }, [loaded, to, chosen]);

  if (!loaded) {
    return (
      <section className="panel policy-card" aria-label="Policies" data-testid="policy-export">
        <header className="panel-head"><h2>Policies</h2></header>
        <div className="empty">Load a baseline above to turn it into a seccomp profile, NetworkPolicy, AppArmor profile or Falco rules.</div>
      </section>
    );
  }
  const save = async () => {
    setSaved(undefined); setError(undefined);
    try {
      const r = await api().call('policy.write', { baseline: loaded.path, to, ...(chosen ? { service: chosen } : {}), out, ...(replace ? { replace: true } : {}) });
      setSaved(r.path); setReplace(false);
    } catch (e) { setError((e as Error).message); }
  };
  return (
    <section className="panel policy-card" aria-label="Policies" data-testid="policy-export">
      <header className="panel-head"><h2>Policies</h2><span className="muted mono">{loaded.path}</span></header>
      <div className="form">
        <div className="row">
          <label>Policy
            <select value={to} onChange={(e) => setTo(e.target.value as Target)} data-testid="policy-target">
              {POLICY_TARGETS.map((t) => <option key={t} value={t}>{TARGETS[t].label}</option>)}
            </select>
          </label>
          <label>Service
            <select value={chosen} onChange={(e) => setService(e.target.value)} data-testid="policy-service">
              {!needsService && <option value="">every service</option>}
              {services.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </label>
        </div>
        {policy?.warnings.map((w) => <p key={w} className="warn">Before enforcing it: {w}</p>)}
        {error && <p className="error-line" data-testid="policy-error">{error}</p>}
        <pre className="policy-text mono" data-testid="policy-text" tabIndex={0}>{policy ? policy.text : error ? '' : 'Making the policy…'}</pre>
        <div className="row">
          <label>Save as<input className="mono" value={out} onChange={(e) => setOut(e.target.value)} data-testid="policy-out" /></label>
        </div>
        <label className="option"><input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} />Replace it if the file exists</label>
        <div className="row">
          <button className="primary" disabled={!policy || !out.trim()} onClick={() => void save()}>Save policy</button>
          <button disabled={!policy} onClick={() => { if (policy) void navigator.clipboard?.writeText(policy.text); }}>Copy</button>
          {saved && <span className="ok" data-testid="policy-saved">Saved {saved}</span>}
        </div>
      </div>
    </section>
  );
}
