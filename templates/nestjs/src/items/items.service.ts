import { randomUUID } from 'node:crypto';

import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { FindOptionsWhere, Repository } from 'typeorm';

import { Details } from '../common/messages';
import type { Page } from '../common/pagination/page.dto';
import type { User } from '../users/user.entity';
import type { CreateItemDto } from './dto/create-item.dto';
import type { UpdateItemDto } from './dto/update-item.dto';
import { Item } from './item.entity';

/** Users see and change their own items; admins see and change all of them. */
@Injectable()
export class ItemsService {
  constructor(@InjectRepository(Item) private readonly items: Repository<Item>) {}

  async create(owner: User, dto: CreateItemDto): Promise<Item> {
    const now = new Date();
    const item = this.items.create({
      id: randomUUID(),
      title: dto.title,
      description: dto.description ?? null,
      ownerId: owner.id,
      createdAt: now,
      updatedAt: now,
    });
    // insert(), not save(): save() would first select the row by its new id, in a
    // transaction of its own, to choose between an INSERT and an UPDATE.
    await this.items.insert(item);
    return item;
  }

  async list(viewer: User, limit: number, offset: number): Promise<Page<Item>> {
    const [items, total] = await this.items.findAndCount({
      where: visibleTo(viewer),
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { items, total, limit, offset };
  }

  /** Another user's item is "not found", never "forbidden": its existence is not revealed. */
  async get(viewer: User, id: string): Promise<Item> {
    const item = await this.items.findOneBy({ ...visibleTo(viewer), id });
    if (!item) throw new NotFoundException(Details.itemNotFound);
    return item;
  }

  async update(viewer: User, id: string, dto: UpdateItemDto): Promise<Item> {
    const item = await this.get(viewer, id);
    if (dto.title !== undefined) item.title = dto.title;
    if (dto.description !== undefined) item.description = dto.description;
    item.updatedAt = new Date();
    return this.items.save(item);
  }

  /** One conditional DELETE: an item the viewer cannot see is a 404, as in get(). */
  async remove(viewer: User, id: string): Promise<void> {
    const result = await this.items.delete({ ...visibleTo(viewer), id });
    if (!result.affected) throw new NotFoundException(Details.itemNotFound);
  }
}

function visibleTo(viewer: User): FindOptionsWhere<Item> {
  return viewer.role === 'admin' ? {} : { ownerId: viewer.id };
}
