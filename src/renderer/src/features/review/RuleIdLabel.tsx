import { useId, useState } from 'react';
import { createPortal } from 'react-dom';
import type { RuleDoc } from '../../../../shared/domain/review';

interface RuleIdLabelProps {
  ruleId: string;
  doc: RuleDoc | undefined;
  /** Said instead when the id is not a rule (a reader problem, a proof finding) but the finding carries help. */
  help?: string;
}

/**
 * A rule id that shows the rule's docs while hovered or focused. The tooltip is portalled to the body so the
 * virtual list's clipping and transforms do not cut it off.
 */
export function RuleIdLabel({ ruleId, doc, help }: RuleIdLabelProps) {
  const id = useId();
  const [at, setAt] = useState<{ x: number; y: number; above: boolean } | undefined>();
  const hasDocs = Boolean(doc || help);
  const show = (el: HTMLElement) => {
    if (!hasDocs) return;
    const r = el.getBoundingClientRect();
    const above = r.bottom > window.innerHeight - 200;
    setAt({ x: Math.min(r.left, window.innerWidth - 440), y: above ? window.innerHeight - r.top + 4 : r.bottom + 4, above });
  };
  return (
    <>
      <span
        className={`rule-id${hasDocs ? ' has-docs' : ''}`}
        tabIndex={hasDocs ? 0 : undefined}
        aria-describedby={at ? id : undefined}
        onMouseEnter={(e) => show(e.currentTarget)}
        onMouseLeave={() => setAt(undefined)}
        onFocus={(e) => show(e.currentTarget)}
        onBlur={() => setAt(undefined)}
        onKeyDown={(e) => e.key === 'Escape' && setAt(undefined)}
      >
        {ruleId}
      </span>
      {at &&
        createPortal(
          <div id={id} role="tooltip" className="rule-tooltip" style={{ left: Math.max(8, at.x), ...(at.above ? { bottom: at.y } : { top: at.y }) }}>
            <strong className="mono">{ruleId}</strong>
            {doc && <span className={`sev sev-${doc.severity}`}>{doc.severity}</span>}
            {doc?.defaultOff && <span className="dim"> opt-in: runs when .quarry.yml names it</span>}
            {doc && (
              <>
                <p>
                  <b>Problem: </b>
                  {doc.docs.problem}
                </p>
                <p>
                  <b>Safe alternative: </b>
                  {doc.docs.solution}
                </p>
              </>
            )}
            {!doc && help && (
              <p>
                <b>Safe alternative: </b>
                {help}
              </p>
            )}
          </div>,
          document.body,
        )}
    </>
  );
}
