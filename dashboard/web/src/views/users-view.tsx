import { useState } from 'preact/hooks';
import { api } from '../api/http.ts';
import type { UnitCollection, User } from '../api/types.ts';
import { FormStatus } from '../components/form-status.tsx';
import { StatusNote } from '../components/status-note.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { useAsync } from '../lib/use-async.ts';
import { unitName } from '../lib/units.ts';
import type { AdminUser } from './users/admin-user.ts';
import { NewUserForm } from './users/new-user-form.tsx';
import { UserActionDialog, type UserAction } from './users/user-dialogs.tsx';

/**
 * User administration (administrators, issue 19): every account with its role, district and
 * state; create one, change its role or district, reset its password, disable or enable it.
 * Each action says what it did, or shows the API's refusal.
 */
export function UsersView({ me, units }: { me: User; units: UnitCollection }) {
  const { t, lang, date } = useI18n();
  const list = useAsync((signal) => api<{ items: AdminUser[] }>('/api/users', { signal }), []);
  const [success, setSuccess] = useState<string>();
  const [open, setOpen] = useState<{ action: UserAction; user: AdminUser } | null>(null);
  const done = (message: string) => {
    setOpen(null);
    setSuccess(message);
    list.reload();
  };
  const act = (action: UserAction, user: AdminUser) => {
    setSuccess(undefined);
    setOpen({ action, user });
  };

  return (
    <section aria-labelledby="users-h">
      <div class="toolbar">
        <h1 id="users-h">{t('users.heading')}</h1>
        {list.data ? <span class="muted">{t('clients.total', { count: list.data.items.length })}</span> : null}
      </div>
      <FormStatus success={success} />
      <StatusNote loading={list.loading && !list.data} error={list.error} what="/api/users" />
      <table>
        <thead>
          <tr>
            <th scope="col">{t('users.col.username')}</th>
            <th scope="col">{t('users.col.name')}</th>
            <th scope="col">{t('users.col.role')}</th>
            <th scope="col">{t('users.col.district')}</th>
            <th scope="col">{t('users.col.state')}</th>
            <th scope="col">{t('users.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.items ?? []).map((u) => (
            <tr key={u.id} data-username={u.username} data-disabled={u.disabledAt !== null ? 'true' : 'false'}>
              <td>{u.username}{u.demo ? <span class="tag">{t('users.demo')}</span> : null}</td>
              <td>{u.displayName}</td>
              <td>{t(`role.${u.role}`)}</td>
              <td>{u.districtId ? unitName(units, u.districtId, lang) : t('common.none')}</td>
              <td class={u.disabledAt !== null ? 'warn-text' : ''}>{u.disabledAt !== null ? t('users.disabled', { date: date(u.disabledAt) }) : t('users.active')}</td>
              <td>
                <div class="row-actions">
                  <button type="button" onClick={() => act('edit', u)}>{t('users.edit')}</button>
                  <button type="button" onClick={() => act('password', u)}>{t('users.resetPassword')}</button>
                  {u.id === me.id ? null : u.disabledAt === null
                    ? <button type="button" onClick={() => act('disable', u)}>{t('users.disable')}</button>
                    : <button type="button" onClick={() => act('enable', u)}>{t('users.enable')}</button>}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <NewUserForm units={units} onCreated={(u) => done(t('users.created', { username: u.username }))} />
      {open ? <UserActionDialog action={open.action} user={open.user} units={units} onClose={() => setOpen(null)} onDone={done} /> : null}
    </section>
  );
}
