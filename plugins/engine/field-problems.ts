import type { ErrorObject } from 'ajv/dist/2020.js'
import type { FieldProblem } from './store-errors'

/** Ajv errors as JSON pointers to the failing fields (the missing or unexpected one, where Ajv names it). */
export function fieldProblems (errors: Array<Pick<ErrorObject, 'keyword' | 'instancePath' | 'params' | 'message'>> | null | undefined): FieldProblem[] {
  return (errors ?? []).map((e) => {
    const params = e.params as { missingProperty?: string, additionalProperty?: string }
    const name = e.keyword === 'required' ? params.missingProperty : e.keyword === 'additionalProperties' ? params.additionalProperty : undefined
    const pointer = e.instancePath + (name === undefined ? '' : `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`)
    return { pointer, message: e.message ?? e.keyword }
  })
}

/** The same, each pointer under `/<id>`: the problems of one document among many (an import, a schema change). */
export function fieldProblemsOf (id: string, errors: Parameters<typeof fieldProblems>[0]): FieldProblem[] {
  return fieldProblems(errors).map((p) => ({ pointer: `/${id}${p.pointer}`, message: p.message }))
}
