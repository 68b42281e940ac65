import { Field, ObjectType } from '@nestjs/graphql';

import { PageOf } from '../page.model';
import { DateTimeScalar, UuidScalar } from '../scalars';

/** An item as REST shows it; `owner` is resolved by ItemsResolver. */
@ObjectType('Item')
export class ItemModel {
  @Field(() => UuidScalar)
  id: string;

  @Field(() => String)
  title: string;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => UuidScalar)
  ownerId: string;

  @Field(() => DateTimeScalar)
  createdAt: Date;

  @Field(() => DateTimeScalar)
  updatedAt: Date;
}

@ObjectType('ItemPage')
export class ItemPageModel extends PageOf(ItemModel) {}
