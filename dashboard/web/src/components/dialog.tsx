import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.tsx';

/**
 * A modal form on the native <dialog>: focus moves into it, Escape closes it, and focus returns
 * to where it was, so the keyboard flow of the queue survives.
 */
export function Dialog({ title, onClose, onSubmit, children, submitLabel, busy }: {
  title: string;
  onClose(): void;
  onSubmit(): void;
  children: ComponentChildren;
  submitLabel: string;
  busy?: boolean;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    ref.current?.showModal();
    return () => previous?.focus();
  }, []);
  return (
    <dialog ref={ref} aria-label={title} onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <form method="dialog" onSubmit={(e) => { e.preventDefault(); onSubmit(); }}>
        <h2>{title}</h2>
        {children}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>{submitLabel}</button>
          <button type="button" onClick={onClose}>{t('common.cancel')}</button>
        </div>
      </form>
    </dialog>
  );
}
