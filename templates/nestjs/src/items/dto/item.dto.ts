import { PageMetaDto } from '../../common/pagination/page.dto';
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

export class ItemPageDto extends PageMetaDto {
  items: ItemDto[];
}
