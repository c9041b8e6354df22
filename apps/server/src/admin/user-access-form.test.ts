import { describe, expect, test } from 'vitest';
import type { UserSummary } from '../accounts/user.service';
import type { SiteRow } from '../db/schema';
import { ValidationError } from '../errors/domain-error';
import { Params } from '../http/params';
import { accessChanges, sentAccess } from './user-access-form';

const user: UserSummary = {
  login: 'ann',
  email: 'ann@example.org',
  superuser: false,
  createdAt: 0,
  access: [
    { idsite: 1, access: 'view' },
    { idsite: 2, access: 'admin' },
  ],
};
const sites = [1, 2, 3].map((idsite) => ({ idsite }) as SiteRow);

describe('the access form', () => {
  test('only the levels that change, "none" removing one', () => {
    const form = Params.parse('access_1=view&access_2=none&access_3=write');
    expect(accessChanges(form, user, sites)).toEqual([
      { idsite: 2, access: 'none' },
      { idsite: 3, access: 'write' },
    ]);
  });

  test('a website not in the form, or not existing, is left alone', () => {
    expect(accessChanges(Params.parse('access_9=admin&access_3=view'), user, sites)).toEqual([
      { idsite: 3, access: 'view' },
    ]);
  });

  test('one unknown level refuses the whole form', () => {
    const form = Params.parse('access_3=write&access_1=owner');
    expect(() => accessChanges(form, user, sites)).toThrow(ValidationError);
  });

  test('what was sent, by website id, to show it again', () => {
    expect(sentAccess(Params.parse('access_1=view&access_2=owner&access_x=view&other=1'))).toEqual(
      new Map([
        [1, 'view'],
        [2, 'owner'],
      ]),
    );
  });
});
