// Durable Slack installations for the OAuth "Add to Slack" flow: one record per workspace (or org) in the
// process's DurableStore (SQLite file or Redis, chosen by the composition root). Holds bot tokens.

import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { PaperbotError } from '../../src/core/errors';
import type { Logger } from '../../src/core/logger';
import type { DurableStore } from '../../src/core/store';
import { slackInstallationKey } from '../../src/store/keys';

export interface ClosableInstallationStore extends InstallationStore {
  readonly kind: DurableStore['kind'];
  close(): Promise<void>;
}

type AnyInstallation = Installation<'v1' | 'v2', boolean>;

/** Org-wide installs are keyed by enterprise, the rest by workspace. */
function keyOfQuery(query: InstallationQuery<boolean>): string {
  if (query.isEnterpriseInstall && query.enterpriseId) return `enterprise:${query.enterpriseId}`;
  if (query.teamId) return `team:${query.teamId}`;
  throw new PaperbotError('bad_input', 'a Slack installation query needs a team or enterprise id');
}

function keyOfInstallation(installation: AnyInstallation): string {
  if (installation.isEnterpriseInstall && installation.enterprise?.id)
    return `enterprise:${installation.enterprise.id}`;
  if (installation.team?.id) return `team:${installation.team.id}`;
  throw new PaperbotError('bad_input', 'a Slack installation without a team or enterprise id');
}

/** Installations on the shared store; closing this leaves the store to the composition root. */
export function createInstallationStore(store: DurableStore, logger: Logger): ClosableInstallationStore {
  return {
    kind: store.kind,
    async storeInstallation(installation) {
      const key = keyOfInstallation(installation);
      // A commit, not a plain set: on SQLite it is written with a full fsync, so a power cut cannot lose it.
      await store.commit([], [{ op: 'set', key: slackInstallationKey(key), value: installation }]);
      logger.info({ installation: key, store: store.kind }, 'slack installation saved');
    },
    async fetchInstallation(query) {
      const key = keyOfQuery(query);
      const stored = await store.get<AnyInstallation>(slackInstallationKey(key));
      if (stored === undefined) throw new PaperbotError('not_found', `no Slack installation for ${key}`);
      return stored;
    },
    async deleteInstallation(query) {
      const key = keyOfQuery(query);
      await store.delete(slackInstallationKey(key));
      logger.info({ installation: key, store: store.kind }, 'slack installation removed');
    },
    close: async () => undefined,
  };
}
