import { ValidateIf } from 'class-validator';

/**
 * A field that may be left out but, when present, must not be null (class-validator's
 * @IsOptional() lets null through, which a NOT NULL column would then refuse with a 500).
 */
export const IsOmittable = () => ValidateIf((_object, value) => value !== undefined);
