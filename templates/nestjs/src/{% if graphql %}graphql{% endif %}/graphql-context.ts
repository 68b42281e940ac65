import type DataLoader from 'dataloader';

import type { User } from '../users/user.entity';

/** What each GraphQL request's resolvers share: its HTTP request and its loaders. */
export interface GraphqlContext {
  /** The request, for JwtAuthGuard (its bearer token) and @CurrentUser() (the user it loaded). */
  req: object;
  /** Item.owner, batched: one query for the owners of a whole page. */
  owners: DataLoader<string, User>;
}
