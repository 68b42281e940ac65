import { ApiProperty } from '@nestjs/swagger';

import type { Item } from '../item.entity';

export class ItemDto {
  id: string;
  title: string;
  description: string | null;
  owner_id: string;
  created_at: string;
  updated_at: string;

  static from(item: Item): ItemDto {
    return {
      id: item.id,
      title: item.title,
      description: item.description,
      owner_id: item.ownerId,
      created_at: item.createdAt.toISOString(),
      updated_at: item.updatedAt.toISOString(),
    };
  }
}

export class ItemPageDto {
  items: ItemDto[];
  @ApiProperty({ type: 'integer' })
  total: number;

  @ApiProperty({ type: 'integer' })
  limit: number;

  @ApiProperty({ type: 'integer' })
  offset: number;
}
