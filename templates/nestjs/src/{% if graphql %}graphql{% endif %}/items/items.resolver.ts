import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';

import { CurrentUser } from '../../auth/current-user.decorator';
import type { Page } from '../../common/pagination/page.dto';
import type { Item } from '../../items/item.entity';
import { ItemsService } from '../../items/items.service';
import type { User } from '../../users/user.entity';
import type { GraphqlContext } from '../graphql-context';
import { PageArgs } from '../page.model';
import { UuidScalar } from '../scalars';
import { UserModel } from '../users/user.model';
import { ItemCreateInput, ItemUpdateInput } from './item.inputs';
import { ItemModel, ItemPageModel } from './item.model';

/** The items routes of REST: a user's own items, an admin's all; another's item is NOT_FOUND. */
@Resolver(() => ItemModel)
export class ItemsResolver {
  constructor(private readonly itemsService: ItemsService) {}

  @Query(() => ItemPageModel)
  items(@CurrentUser() user: User, @Args() page: PageArgs): Promise<Page<Item>> {
    return this.itemsService.list(user, page.limit, page.offset);
  }

  @Query(() => ItemModel)
  item(
    @CurrentUser() user: User,
    @Args('id', { type: () => UuidScalar }) id: string,
  ): Promise<Item> {
    return this.itemsService.get(user, id);
  }

  @Mutation(() => ItemModel)
  createItem(@CurrentUser() user: User, @Args('input') input: ItemCreateInput): Promise<Item> {
    return this.itemsService.create(user, input);
  }

  @Mutation(() => ItemModel)
  updateItem(
    @CurrentUser() user: User,
    @Args('id', { type: () => UuidScalar }) id: string,
    @Args('input') input: ItemUpdateInput,
  ): Promise<Item> {
    return this.itemsService.update(user, id, input);
  }

  /** Answers the deleted item's id. */
  @Mutation(() => UuidScalar)
  async deleteItem(
    @CurrentUser() user: User,
    @Args('id', { type: () => UuidScalar }) id: string,
  ): Promise<string> {
    await this.itemsService.remove(user, id);
    return id;
  }

  @ResolveField(() => UserModel)
  owner(@Parent() item: Item, @Context() context: GraphqlContext): Promise<User> {
    return context.owners.load(item.ownerId);
  }
}
