import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { isUUID } from 'class-validator';

import { UnprocessableContentException } from '../http/problem';
import { FieldMessages } from '../messages';

/** Path ids are UUIDs; anything else is a 422 on the `path` location. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!isUUID(value)) {
      throw new UnprocessableContentException([
        { location: 'path', field: metadata.data ?? 'id', message: FieldMessages.invalidUuid },
      ]);
    }
    return value.toLowerCase();
  }
}

/** Documents the route's UuidPipe-checked path parameter as the UUID it is. */
export const ApiUuidParam = (name = 'id') => ApiParam({ name, type: 'string', format: 'uuid' });
