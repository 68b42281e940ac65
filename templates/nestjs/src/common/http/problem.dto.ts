import { ApiProperty, ApiSchema } from '@nestjs/swagger';

import type { FieldError, Problem } from './problem';

/** The documented shape of every error response (problem.ts builds them). */
@ApiSchema({ name: 'Problem' })
export class ProblemDto implements Problem {
  type: string;
  title: string;
  @ApiProperty({ type: 'integer' })
  status: number;
  detail: string;
}

@ApiSchema({ name: 'FieldError' })
export class FieldErrorDto implements FieldError {
  @ApiProperty({ enum: ['body', 'query', 'path'] })
  location: 'body' | 'query' | 'path';
  field: string;
  message: string;
}

@ApiSchema({ name: 'ValidationProblem' })
export class ValidationProblemDto extends ProblemDto {
  @ApiProperty({ type: [FieldErrorDto] })
  errors: FieldErrorDto[];
}
