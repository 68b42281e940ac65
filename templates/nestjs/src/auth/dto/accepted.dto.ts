import { ApiSchema } from '@nestjs/swagger';

/** A 202: the request is taken, and what follows happens in the background. */
@ApiSchema({ name: 'Accepted' })
export class AcceptedDto {
  detail: string;
}
