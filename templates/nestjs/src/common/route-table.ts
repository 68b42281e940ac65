import { Injectable } from '@nestjs/common';

interface Route {
  method: string;
  pattern: RegExp;
}

/**
 * The registered routes, filled in by the HTTP adapter as they are added, so that a
 * request for a known path with another method answers 405 with `Allow`, not 404.
 */
@Injectable()
export class RouteTable {
  private readonly routes: Route[] = [];

  add(method: string, path: string): void {
    const pattern = path
      .split('/')
      .map((segment) =>
        segment.startsWith(':')
          ? '[^/]+'
          : segment === '*'
            ? '.*'
            : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${pattern}/?$`) });
  }

  allowedMethods(url: string): string[] {
    const path = url.split('?')[0];
    const methods = this.routes.filter((route) => route.pattern.test(path)).map((r) => r.method);
    return [...new Set(methods)].filter((method) => method !== 'HEAD' || methods.includes('GET'));
  }

  /** Whether the framework matched a route for this request (Fastify or Express). */
  matched(request: object): boolean {
    const fastifyRoute = (request as { routeOptions?: { url?: string } }).routeOptions;
    if (fastifyRoute !== undefined) return fastifyRoute.url !== undefined;
    return (request as { route?: unknown }).route !== undefined;
  }
}
