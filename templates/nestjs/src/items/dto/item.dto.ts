import { ApiProperty, ApiSchema } from '@nestjs/swagger';

import { PageMetaDto } from '../../common/pagination/page.dto';
import type { Item } from '../item.entity';

@ApiSchema({ name: 'Item' })
export class ItemDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  title: string;
  description: string | null;
  @ApiProperty({ format: 'uuid' })
  owner_id: string;
  @ApiProperty({ format: 'date-time' })
  created_at: string;
  @ApiProperty({ format: 'date-time' })
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

@ApiSchema({ name: 'ItemPage' })
export class ItemPageDto extends PageMetaDto {
  items: ItemDto[];
}
