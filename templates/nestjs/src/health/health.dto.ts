import { ApiProperty, ApiSchema } from '@nestjs/swagger';

const STATES = ['ok', 'unavailable'] as const;
type State = (typeof STATES)[number];

@ApiSchema({ name: 'Health' })
export class HealthDto {
  status: 'ok';
}

@ApiSchema({ name: 'Readiness' })
export class ReadinessDto {
  @ApiProperty({ enum: STATES })
  status: State;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', enum: [...STATES] } })
  checks: Record<string, State>;
}
