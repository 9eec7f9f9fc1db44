import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  communeDetail,
  communeList,
  communeListQuery,
  communeParams,
  departementList,
  departementListQuery,
  epciDetail,
  epciList,
  epciListQuery,
  epciParams,
  regionList,
} from '../../../contracts/territory.js';
import * as service from './territory.service.js';

const tags = ['Territoire'];
const TOPICS = ['territory'] as const;

/**
 * Official reference data, public and readable anonymously: no actor or policy check. Reads still run
 * in the request's tenant transaction so they use the restricted role like every other request.
 */
export default async function territoryRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/territory/communes',
    {
      config: { access: 'public', publicCache: TOPICS },
      schema: {
        tags,
        summary: 'Rechercher des communes (nom, code INSEE, code postal, SIREN)',
        description:
          'Chaque mot de `q` doit figurer dans le nom (sans tenir compte des accents, de la casse ni des ' +
          'tirets) ; 5 chiffres cherchent un code INSEE ou un code postal, 2 à 4 caractères un début de ' +
          'code INSEE. Les communes dont le nom est exactement `q` viennent en premier.',
        querystring: communeListQuery,
        response: { 200: communeList },
      },
    },
    (request) => request.inTenant((tx) => service.listCommunes(tx, request.query)),
  );

  app.get(
    '/territory/communes/:code',
    {
      config: { access: 'public', publicCache: TOPICS },
      schema: {
        tags,
        summary: 'Une commune par son code INSEE',
        params: communeParams,
        response: { 200: communeDetail },
      },
    },
    (request) => request.inTenant((tx) => service.getCommune(tx, request.params.code)),
  );

  app.get(
    '/territory/epci',
    {
      config: { access: 'public', publicCache: TOPICS },
      schema: {
        tags,
        summary: 'Rechercher des EPCI (nom, SIREN, ou commune membre par code INSEE ou postal)',
        querystring: epciListQuery,
        response: { 200: epciList },
      },
    },
    (request) => request.inTenant((tx) => service.listEpci(tx, request.query)),
  );

  app.get(
    '/territory/epci/:code',
    {
      config: { access: 'public', publicCache: TOPICS },
      schema: {
        tags,
        summary: 'Un EPCI par son SIREN, avec ses communes membres importées',
        params: epciParams,
        response: { 200: epciDetail },
      },
    },
    (request) => request.inTenant((tx) => service.getEpci(tx, request.params.code)),
  );

  app.get(
    '/territory/departements',
    {
      config: { access: 'public', publicCache: TOPICS },
      schema: {
        tags,
        summary: 'Les départements, avec le nombre et la population des communes importées',
        querystring: departementListQuery,
        response: { 200: departementList },
      },
    },
    (request) => request.inTenant((tx) => service.listDepartements(tx, request.query.region)),
  );

  app.get(
    '/territory/regions',
    {
      config: { access: 'public', publicCache: TOPICS },
      schema: {
        tags,
        summary: 'Les régions, avec le nombre et la population des communes importées',
        response: { 200: regionList },
      },
    },
    (request) => request.inTenant((tx) => service.listRegions(tx)),
  );
}
